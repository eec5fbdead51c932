package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Address;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Identities that another peer holds or could predict (docs/PROTOCOL.md, "Identity"): a
 * connection that presents none, or one of the shape the ROUTER makes up, is served nothing;
 * a jeventlet peer presents a fresh random identity on every dial, so one taken while its
 * owner was away costs the owner one redial.
 */
class ZmqIdentityTest {
    private static final Address S1 = new Address("t").withServer("s1");

    /**
     * JeroMQ numbers the identities it makes up in sequence and never checks them against the
     * ones peers present: a peer that presented the next numbers before a victim connected
     * without an identity shared the victim's, so its UNREGISTER counted as the victim's and its
     * leaving made the proxy forget the victim's connection (every later reply refused).
     */
    @Test
    void identitiesOfTheRoutersOwnShapeSpeakForNobody() throws Exception {
        ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", ZmqTestKit.fastConf());
                ZContext ctx = new ZContext()) {
            String endpoint = "tcp://127.0.0.1:" + port(proxy);
            int next = nextMadeUpIdentity(proxy);
            List<ZMQ.Socket> squatters = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
                s.setLinger(0);
                s.setIdentity(ByteBuffer.allocate(5).put((byte) 0).putInt(next + i).array());
                s.connect(endpoint);
                send(s, "PING", "");
                squatters.add(s);
            }
            ZmqTestKit.await("the proxy to have seen the 16 squatters", 20, () -> {
                Map<String, Long> st = proxy.stats();
                return st.getOrDefault("no_hello", 0L) + st.getOrDefault("no_identity", 0L) >= 16;
            });
            try (ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), ZmqTestKit.fastConf(), new ZmqTestKit.Replies());
                    ZmqDriver client = ZmqTestKit.open(proxy.transportUrl(), ZmqTestKit.fastConf(), replies)) {
                ZmqTestKit.echo(server, S1, null);
                ZmqTestKit.await("the caller's link", 30, client::anyProxyUp);
                String first = ZmqTestKit.call(client, S1, "before", 5);
                assertEquals(first + "|s1:before", replies.nextReply(8), "failures " + replies.errors);
                for (ZMQ.Socket s : squatters) {
                    send(s, "UNREGISTER", "", "t", "s1");
                    send(s, "REGISTER", "", "t", "s1", "60000");
                }
                ZmqTestKit.await("the proxy to have seen the squatters' messages", 20,
                        () -> proxy.stats().getOrDefault("no_identity", 0L) >= 48);
                for (ZMQ.Socket s : squatters) {
                    s.close();
                }
                for (int i = 0; i < 10; i++) {
                    String id = ZmqTestKit.call(client, S1, "p" + i, 5);
                    assertEquals(id + "|s1:p" + i, replies.nextReply(8),
                            "call " + i + "; failures " + replies.errors + "; proxy " + proxy.stats());
                }
                assertTrue(replies.errors.isEmpty(), "calls failed: " + replies.errors);
            }
        }
    }

    /**
     * A peer that learned a caller's address (servers see it in every call) takes it while the
     * caller's connection is down: the caller comes back under a new identity of its own,
     * instead of being refused for as long as the squatter holds the old one.
     */
    @Test
    void anIdentityTakenWhileItsOwnerIsAwayCostsTheOwnerOneRedial() throws Exception {
        ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", ZmqTestKit.fastConf());
                TcpRelay relay = new TcpRelay(port(proxy));
                ZContext ctx = new ZContext();
                ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), ZmqTestKit.fastConf(), new ZmqTestKit.Replies());
                ZmqDriver client = ZmqTestKit.open("zmq://127.0.0.1:" + relay.port(), ZmqTestKit.fastConf(), replies)) {
            ZmqTestKit.echo(server, S1, null);
            ZmqTestKit.await("the caller's link", 30, () -> client.anyProxyUp() && client.addressAt(0) != null);
            String taken = client.addressAt(0);
            String first = ZmqTestKit.call(client, S1, "before", 5);
            assertEquals(first + "|s1:before", replies.nextReply(8), "failures " + replies.errors);

            relay.shut();
            ZMQ.Socket squatter = squat(ctx, "tcp://127.0.0.1:" + port(proxy), taken);
            assertNotNull(squatter, "the squatter never got " + taken + " from the proxy");
            relay.open();
            ZmqTestKit.await("the caller back under an identity of its own", 20,
                    () -> client.anyProxyUp() && client.addressAt(0) != null && !taken.equals(client.addressAt(0)));
            assertNotEquals(taken, client.addressAt(0));
            String after = ZmqTestKit.call(client, S1, "after", 5);
            assertEquals(after + "|s1:after", replies.nextReply(8), "failures " + replies.errors);
            squatter.close();
        }
    }

    /**
     * A connection's pipe exists at the proxy from the end of the ZMTP greeting, before the
     * security handshake (a CurveZMQ key agreement and ZAP round trip) gives it its identity. A
     * handshake slower than the proxy's sweep of refused connections (which a loaded machine
     * makes of CurveZMQ ones) was taken for a refused identity and cut: the peer could not get
     * in. Here a raw ZMTP peer holds its READY back for longer than two sweeps.
     */
    @Test
    void aConnectionSlowInItsHandshakeIsNotTakenForARefusedOne() throws Exception {
        ConfigOpts conf = ConfigOpts.builder().override(ZmqOpts.HANDSHAKE_TIMEOUT, 4.0).load();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", conf);
                Socket peer = new Socket(InetAddress.getLoopbackAddress(), port(proxy))) {
            peer.setSoTimeout(5000);
            OutputStream out = peer.getOutputStream();
            InputStream in = peer.getInputStream();
            byte[] greeting = new byte[64];
            greeting[0] = (byte) 0xff;
            greeting[9] = 0x7f;
            greeting[10] = 3;
            System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 4);
            out.write(greeting);
            in.readNBytes(64);
            // Longer than two sweeps of the proxy (a quarter second each), well within its handshake limit.
            Thread.sleep(1500);
            ByteArrayOutputStream ready = new ByteArrayOutputStream();
            ready.write(5);
            ready.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
            property(ready, "Socket-Type", "DEALER");
            property(ready, "Identity", "slow-peer");
            out.write(new byte[] {0x04, (byte) ready.size()});
            out.write(ready.toByteArray());
            String[] hello = {ZmqProtocol.VERSION, "HELLO", ""};
            for (int i = 0; i < hello.length; i++) {
                byte[] f = hello[i].getBytes(StandardCharsets.US_ASCII);
                out.write(new byte[] {(byte) (i < hello.length - 1 ? 1 : 0), (byte) f.length});
                out.write(f);
            }
            out.flush();
            String seen = "";
            while (!seen.contains("WELCOME")) {
                byte[] chunk = new byte[256];
                int n = in.read(chunk);
                assertTrue(n > 0, "the proxy closed the slow peer's connection; stats " + proxy.stats());
                seen += new String(chunk, 0, n, StandardCharsets.ISO_8859_1);
            }
            assertEquals(0L, proxy.stats().getOrDefault("identity_refused", 0L), "stats " + proxy.stats());
        }
    }

    private static void property(ByteArrayOutputStream out, String name, String value) {
        out.write(name.length());
        out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length()).array());
        out.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
    }

    /** Connects as {@code identity} until the proxy WELCOMEs it (once the owner's connection is gone); null after 20 s. */
    private static ZMQ.Socket squat(ZContext ctx, String endpoint, String identity) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
            s.setLinger(0);
            s.setReceiveTimeOut(1000);
            s.setIdentity(identity.getBytes(StandardCharsets.US_ASCII));
            s.connect(endpoint);
            send(s, "HELLO", "");
            byte[] version = s.recv(0);
            if (version != null) {
                List<String> frames = new ArrayList<>(List.of(new String(version, StandardCharsets.UTF_8)));
                while (s.hasReceiveMore()) {
                    frames.add(s.recvStr(0));
                }
                if (frames.size() == 5 && frames.get(1).equals("WELCOME") && frames.get(3).equals(identity)) {
                    return s;
                }
            }
            s.close();
        }
        return null;
    }

    private static void send(ZMQ.Socket s, String type, String... rest) {
        s.sendMore(ZmqProtocol.VERSION);
        s.send(type, rest.length > 0 ? ZMQ.SNDMORE : 0);
        for (int i = 0; i < rest.length; i++) {
            s.send(rest[i], i < rest.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    private static int port(ZmqProxy proxy) {
        String url = proxy.transportUrl();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1).replaceAll("/.*", ""));
    }

    /** The number the proxy's ROUTER gives the next connection that presents no identity. */
    private static int nextMadeUpIdentity(ZmqProxy proxy) throws ReflectiveOperationException {
        Field routerField = ZmqProxy.class.getDeclaredField("router");
        routerField.setAccessible(true);
        Object router = ((ZMQ.Socket) routerField.get(proxy)).base();
        Field next = router.getClass().getDeclaredField("nextRid");
        next.setAccessible(true);
        return next.getInt(router);
    }
}

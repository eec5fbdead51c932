package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.spi.Address;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Garbage, truncated, oversized and wrong-version frames sent to a live
 * proxy and a live server (seeded, bounded): each is dropped and counted,
 * answered with ERROR when its sender gave a message id, and normal calls
 * still work afterwards.
 */
class ZmqFuzzTest {
    private static final long SEED = 20261130L;
    private static final int MESSAGES = 2000;
    private final ConfigOpts conf = ConfigOpts.builder()
            .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25)
            .override(ZmqOpts.REGISTRATION_TTL, 2.5)
            .override(RpcOpts.MAX_MESSAGE_SIZE, 64L * 1024)
            .load();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One fuzzed message: a valid one mutated, or random frames. */
    private static List<byte[]> fuzzed(Random rnd) {
        List<byte[]> valid = List.of(b("2"), b("CALL"), b("fz" + rnd.nextInt(1000)), b("t"), b(""), b("5000"), b("{\"x\": 1}"));
        List<byte[]> m = new ArrayList<>(valid);
        switch (rnd.nextInt(9)) {
            case 0 -> m.set(0, b(Integer.toString(3 + rnd.nextInt(50))));             // wrong version
            case 1 -> m = new ArrayList<>(m.subList(0, rnd.nextInt(m.size())));         // truncated
            case 2 -> m.set(6, new byte[64 * 1024 + 1 + rnd.nextInt(4096)]);            // oversized body
            case 3 -> m.set(1, b("C" + rnd.nextInt()));                                 // unknown type
            case 4 -> m.set(3, new byte[300]);                                          // name too long
            case 5 -> m = List.of(b("2"), b("REGISTER"), b(""), b("t"), b("x"), b("-5")); // bad ttl
            case 6 -> {                                                                  // random frames
                m = new ArrayList<>();
                for (int i = rnd.nextInt(12); i > 0; i--) {
                    byte[] f = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(f);
                    m.add(f);
                }
            }
            case 7 -> m.add(b("extra"));                                                 // too many frames
            default -> m.set(2, new byte[0]);                                            // call without msg_id
        }
        if (m.isEmpty()) {
            m.add(new byte[0]);
        }
        return m;
    }

    private static void send(ZMQ.Socket s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            s.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The proxy drops and counts every fuzzed message, answers ERROR to identifiable callers, and keeps routing. */
    @Test
    void proxySurvivesFuzzedFrames() throws Exception {
        Random rnd = new Random(SEED);
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", conf);
                ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), conf, new ZmqTestKit.Replies());
                ZmqContextHolder raw = new ZmqContextHolder()) {
            ZmqTestKit.echo(server, new Address("t").withServer("s"), null);
            ZMQ.Socket fuzz = raw.ctx.createSocket(SocketType.DEALER);
            fuzz.setIdentity(b("fuzzer"));
            // The transport's handshake limit (rpc_zmq.handshake_timeout): a connection JeroMQ leaves
            // stuck in the handshake is redialled, and what was queued goes out on the new one.
            fuzz.setHandshakeIvl((int) (conf.get(ZmqOpts.HANDSHAKE_TIMEOUT) * 1000));
            fuzz.setReceiveTimeOut(15_000);
            fuzz.connect(proxy.endpoint());
            // A version-3 call with an id gets one 4-frame ERROR, in version 3's framing, naming the version this proxy speaks.
            List<String> error = new ArrayList<>();
            send(fuzz, List.of(b("3"), b("CALL"), b("v3call"), b(""), b("t"), b(""), b("{}")));
            byte[] first = fuzz.recv(0);
            assertNotNull(first, "no ERROR reply from the proxy within 15 s");
            error.add(new String(first, StandardCharsets.UTF_8));
            while (fuzz.hasReceiveMore()) {
                error.add(new String(fuzz.recv(0), StandardCharsets.UTF_8));
            }
            assertEquals(List.of("3", "ERROR", "v3call"), error.subList(0, 3));
            assertEquals(4, error.size(), error.toString());
            assertTrue(error.get(3).contains("version '3'") && error.get(3).contains("speaks version 2"), error.get(3));
            send(fuzz, List.of(b("2"), b("HELLO"), b("")));

            for (int i = 0; i < MESSAGES; i++) {
                send(fuzz, fuzzed(rnd));
            }
            // Raw non-ZMTP bytes on the TCP port: the connection is dropped, the proxy goes on.
            int port = Integer.parseInt(proxy.endpoint().substring(proxy.endpoint().lastIndexOf(':') + 1));
            try (Socket tcp = new Socket("127.0.0.1", port)) {
                byte[] junk = new byte[4096];
                rnd.nextBytes(junk);
                OutputStream out = tcp.getOutputStream();
                out.write(junk);
                out.flush();
            } catch (java.io.IOException resetByProxy) {
                // The proxy may close the connection first: that is the point.
            }
            ZmqTestKit.await("the fuzzed messages to be counted", 20, () -> {
                long counted = proxy.stats().entrySet().stream()
                        .filter(e -> List.of("malformed", "oversized", "bad_version", "noroute").contains(e.getKey()))
                        .mapToLong(java.util.Map.Entry::getValue).sum();
                return counted >= MESSAGES * 0.8;
            });
            ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
            try (ZmqDriver client = ZmqTestKit.open(proxy.transportUrl(), conf, replies)) {
                for (int i = 0; i < 20; i++) {
                    String id = ZmqTestKit.call(client, new Address("t"), "ok" + i, 5);
                    assertEquals(id + "|s:ok" + i, replies.nextReply(15));
                }
            }
        }
    }

    /** A server driver drops and counts garbage from a rogue proxy and keeps serving through its real one. */
    @Test
    void serverSurvivesFuzzedFrames() throws Exception {
        Random rnd = new Random(SEED + 1);
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", conf);
                ZmqContextHolder raw = new ZmqContextHolder()) {
            ZMQ.Socket rogue = raw.ctx.createSocket(SocketType.ROUTER);
            rogue.setRouterMandatory(true);
            rogue.setHandshakeIvl(2000);
            int port = rogue.bindToRandomPort("tcp://127.0.0.1");
            String url = proxy.transportUrl() + ",127.0.0.1:" + port;
            try (ZmqDriver server = ZmqTestKit.open(url, conf, new ZmqTestKit.Replies())) {
                ZmqTestKit.echo(server, new Address("t").withServer("s"), null);
                rogue.setReceiveTimeOut(15000);
                // The server's receiving socket says HELLO first: its routing id is where requests go.
                List<byte[]> ping = new ArrayList<>();
                do {
                    byte[] frame = rogue.recv(0);
                    assertNotNull(frame, "no PING from the server within 15 s");
                    ping.add(frame);
                } while (rogue.hasReceiveMore());
                byte[] identity = ping.get(0);
                assertEquals("HELLO", new String(ping.get(2), StandardCharsets.UTF_8));
                for (int i = 0; i < MESSAGES; i++) {
                    List<byte[]> m = fuzzed(rnd);
                    rogue.send(identity, ZMQ.SNDMORE);
                    send(rogue, m);
                }
                // A call with a caller frame but a wrong body size gets an ERROR back through the rogue.
                ZmqTestKit.await("the garbage to be counted", 20, () -> server.stats().values().stream()
                        .mapToLong(Long::longValue).sum() >= MESSAGES * 0.8);
                ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
                try (ZmqDriver client = ZmqTestKit.open(proxy.transportUrl(), conf, replies)) {
                    for (int i = 0; i < 20; i++) {
                        String id = ZmqTestKit.call(client, new Address("t").withServer("s"), "ok" + i, 5);
                        assertEquals(id + "|s:ok" + i, replies.nextReply(15));
                    }
                }
            }
        }
    }

    /** A JeroMQ context closed at the end of a test. */
    private static final class ZmqContextHolder implements AutoCloseable {
        final ZContext ctx = new ZContext(1);

        ZmqContextHolder() {
            ctx.setLinger(0);
        }

        @Override
        public void close() {
            ctx.close();
        }
    }
}

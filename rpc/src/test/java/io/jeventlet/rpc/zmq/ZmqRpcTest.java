package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessageDeliveryFailure;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.MessagingTimeout;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcLoad;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.IncomingMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.ObjectMapper;

/** RpcClient and RpcServer over zmq:// through a ZmqProxy. */
class ZmqRpcTest {
    private ZmqProxy proxy;
    private Transport transport;

    /** An endpoint that answers at once, counts casts and fails on demand. */
    public static final class Echo {
        final AtomicInteger casts = new AtomicInteger();

        public int inc(Context ctx, int n) {
            return n + 1;
        }

        public void note(Context ctx, int n) {
            casts.incrementAndGet();
        }

        public String fail(Context ctx, String why) {
            throw new IllegalStateException(why);
        }

        public String slow(Context ctx, double seconds) {
            Eventlet.sleep(seconds);
            return "done";
        }
    }

    static ConfigOpts conf(String url) {
        return ConfigOpts.builder()
                .override(RpcOpts.TRANSPORT_URL, url)
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25)
                // Long enough that a starved JVM's late pong (seen: over 2.5 s on the loaded 2-core
                // machine, mid-way through the 100,000 calls) is not taken for a dead proxy.
                .override(ZmqOpts.REGISTRATION_TTL, 10.0)
                .load();
    }

    @BeforeEach
    void start() {
        proxy = ZmqProxy.start("tcp://127.0.0.1:0");
        transport = Transport.create(conf(proxy.transportUrl()));
    }

    @AfterEach
    void stop() {
        transport.close();
        proxy.close();
    }

    /** A call returns the server's result, converted to the asked type. */
    @Test
    void callReturnsResult() {
        Echo echo = new Echo();
        RpcServer server = new RpcServer(transport, new Target("t").withServer("s"), List.of(echo));
        server.start();
        try {
            RpcClient client = new RpcClient(transport, new Target("t")).withTimeout(10);
            assertEquals(42, client.call(Context.empty(), "inc", Map.of("n", 41), Integer.class));
        } finally {
            server.stop();
            server.await();
        }
    }

    /** A method's exception reaches the caller as RemoteError naming its class. */
    @Test
    void failureIsRemoteError() {
        RpcServer server = new RpcServer(transport, new Target("t").withServer("s"), List.of(new Echo()));
        server.start();
        try {
            RpcClient client = new RpcClient(transport, new Target("t").withServer("s")).withTimeout(10);
            RemoteError e = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "fail", Map.of("why", "boom")));
            assertEquals("IllegalStateException", e.excType());
            assertEquals("boom", e.value());
        } finally {
            server.stop();
            server.await();
        }
    }

    /**
     * A slow call's call-monitor heartbeats (oslo: every int(2 s) / 2 = 1 s) cross the proxy as heartbeats
     * (REPLY with ending 0, which keeps the call pending there), so the final
     * reply still reaches the caller, and nothing is taken for a forgery.
     */
    @Test
    void heartbeatsOfASlowCallPassTheProxy() {
        RpcServer server = new RpcServer(transport, new Target("t").withServer("s"), List.of(new Echo()));
        server.start();
        try {
            RpcClient client = new RpcClient(transport, new Target("t")).withTimeout(10).withCallMonitorTimeout(2);
            assertEquals("done", client.call(Context.empty(), "slow", Map.of("seconds", 3.5)));
            assertTrue(!proxy.stats().containsKey("reply_unexpected"), proxy.stats().toString());
        } finally {
            server.stop();
            server.await();
        }
    }

    /**
     * A server whose reply to one call names another call in its envelope: the REPLY frame's id
     * wins (docs/PROTOCOL.md), so the reply is dropped and counted, and the call it names does not
     * take it but its own answer. (The proxy has ended the call the frame names: one final reply
     * per call, so that call ends in its timeout.) A reply body that cannot be decoded ends the
     * call its frame names at once, with the reason, not at the call's timeout.
     */
    @Test
    void replyEnvelopeNamingAnotherCallIsDropped() throws Exception {
        ObjectMapper json = new ObjectMapper();
        LinkedBlockingQueue<IncomingMessage> requests = new LinkedBlockingQueue<>();
        try (ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), conf(proxy.transportUrl()), new ZmqTestKit.Replies())) {
            server.listen(new Address("t").withServer("s"), requests::add);
            RpcClient client = new RpcClient(transport, new Target("t")).withTimeout(30);
            GreenThread<Object> named = Eventlet.spawn(() -> client.call(Context.empty(), "inc", Map.of("n", 1)));
            GreenThread<Object> forging = Eventlet.spawn(
                    () -> client.withTimeout(2).call(Context.empty(), "inc", Map.of("n", 2)));
            IncomingMessage a = nextRequest(requests);
            IncomingMessage b = nextRequest(requests);
            if (arg(json, a) != 1) {
                IncomingMessage t = a;
                a = b;
                b = t;
            }
            String idA = msgId(json, a);
            ZmqDriver clientDriver = ZmqTestKit.driverOf(transport);

            b.reply(null, reply(json, idA, "forged"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (clientDriver.stats().getOrDefault("reply_unexpected", 0L) == 0 && System.nanoTime() < deadline) {
                Eventlet.sleep(0.01);
            }
            assertEquals(1L, clientDriver.stats().getOrDefault("reply_unexpected", 0L), clientDriver.stats().toString());
            a.reply(null, reply(json, idA, "for a"));
            assertEquals("for a", named.await());
            assertThrows(MessagingTimeout.class, forging::await);

            GreenThread<Object> third = Eventlet.spawn(() -> client.call(Context.empty(), "inc", Map.of("n", 3)));
            IncomingMessage c = nextRequest(requests);
            long t0 = System.nanoTime();
            c.reply(null, "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{not json\"}".getBytes(StandardCharsets.UTF_8));
            MessagingException e = assertThrows(MessagingException.class, third::await);
            assertTrue(e.getMessage().contains("the reply to call " + msgId(json, c) + " was refused"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "the call waited for its timeout");
        }
    }

    private static IncomingMessage nextRequest(LinkedBlockingQueue<IncomingMessage> requests) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IncomingMessage m;
        while ((m = requests.poll()) == null && System.nanoTime() < deadline) {
            Eventlet.sleep(0.01);
        }
        assertTrue(m != null, "no request reached the server");
        return m;
    }

    private static int arg(ObjectMapper json, IncomingMessage m) throws Exception {
        String inner = json.readTree(m.body()).get("oslo.message").asText();
        return json.readTree(inner).get("args").get("n").asInt();
    }

    private static String msgId(ObjectMapper json, IncomingMessage m) throws Exception {
        String inner = json.readTree(m.body()).get("oslo.message").asText();
        return json.readTree(inner).get("_msg_id").asText();
    }

    /** A final reply envelope, as oslo.messaging writes it, naming {@code msgId}. */
    private static byte[] reply(ObjectMapper json, String msgId, String result) throws Exception {
        String inner = json.writeValueAsString(Map.of("result", result, "ending", true, "_msg_id", msgId,
                "_unique_id", "u" + msgId));
        return json.writeValueAsBytes(Map.of("oslo.version", "2.0", "oslo.message", inner));
    }

    /** A call to a target with no live server raises MessageDeliveryFailure without waiting out its timeout. */
    @Test
    void noServerIsDeliveryFailure() {
        RpcClient client = new RpcClient(transport, new Target("nobody")).withTimeout(30);
        long t0 = System.nanoTime();
        assertThrows(MessageDeliveryFailure.class, () -> client.call(Context.empty(), "inc", Map.of("n", 1)));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no-route was not immediate");
    }

    /** 1,000 concurrent callers on one hub are all answered. */
    @Test
    void thousandConcurrentCallers() {
        RpcServer server = new RpcServer(transport, new Target("t").withServer("s"), List.of(new Echo()));
        server.start();
        try {
            RpcClient client = new RpcClient(transport, new Target("t")).withTimeout(30);
            List<GreenThread<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                callers.add(Eventlet.spawn(() -> client.call(Context.empty(), "inc", Map.of("n", n), Integer.class)));
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals(i + 1, callers.get(i).await());
            }
        } finally {
            server.stop();
            server.await();
        }
    }

    /**
     * 100,000 calls and casts through a proxy (50,000 of each) leave the heap
     * bounded and every cast delivered.
     */
    @Test
    void manyCallsAndCastsKeepHeapBounded() {
        Echo echo = new Echo();
        RpcServer server = new RpcServer(transport, new Target("t").withServer("s"), List.of(echo));
        server.start();
        try {
            RpcClient client = new RpcClient(transport, new Target("t")).withTimeout(30);
            RpcLoad.runCalls(client, 50, 40);
            long before = RpcLoad.usedHeapAfterGc();
            RpcLoad.runCalls(client, 50, 1_000);
            for (int i = 0; i < 50_000; i++) {
                client.cast(Context.empty(), "note", Map.of("n", i));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (echo.casts.get() < 50_000 && System.nanoTime() < deadline) {
                Eventlet.sleep(0.01);
            }
            assertEquals(50_000, echo.casts.get(), "casts delivered; proxy counters " + proxy.stats());
            long after = RpcLoad.usedHeapAfterGc();
            assertTrue(after - before < 32L << 20, "heap grew by " + ((after - before) >> 20) + " MiB");
        } finally {
            server.stop();
            server.await();
        }
    }
}

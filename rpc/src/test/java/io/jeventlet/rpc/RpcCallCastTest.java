package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calls and casts end to end over inproc://, client and server on one virtual-clock hub. */
class RpcCallCastTest {

    /** An endpoint of the tests: echoes, adds, records casts. */
    public static final class Calc {
        final List<String> notes = new ArrayList<>();

        public int add(Context ctx, int a, int b) {
            return a + b;
        }

        public Object echo(Context ctx, Object value) {
            return value;
        }

        public void note(Context ctx, String text) {
            notes.add(text);
        }

        public Map<String, Object> whoami(Context ctx) {
            return ctx.asMap();
        }

        public Router router(Context ctx, String routerId) {
            return new Router(routerId, List.of("10.0.0.1"));
        }
    }

    /** A value type that travels as a JSON object. */
    public record Router(String id, List<String> ips) {
    }

    /** A call returns the endpoint method's result. */
    @Test
    void callReturnsResult() throws Exception {
        Object sum = Rpc.withServer("callReturnsResult", new Calc(), client ->
                client.call(Context.empty(), "add", Map.of("a", 2, "b", 3)));
        assertEquals(5, sum);
    }

    /** A cast runs the method and returns without waiting for it. */
    @Test
    void castRunsMethod() throws Exception {
        Calc calc = new Calc();
        Rpc.withServer("castRunsMethod", calc, client -> {
            client.cast(Context.empty(), "note", Map.of("text", "hello"));
            assertTrue(calc.notes.isEmpty(), "a cast does not wait for the method");
            for (int i = 0; i < 100 && calc.notes.isEmpty(); i++) {
                Eventlet.sleep(0.01);
            }
            return null;
        });
        assertEquals(List.of("hello"), calc.notes);
    }

    /** Untyped results follow the JSON rule: Integer, Long, BigInteger, Double, Map, List. */
    @Test
    void untypedResultsFollowJsonRule() throws Exception {
        Rpc.withServer("untypedResultsFollowJsonRule", new Calc(), client -> {
            assertEquals(Integer.valueOf(7), client.call(Context.empty(), "echo", Map.of("value", 7)));
            assertEquals(Long.valueOf(1L << 40), client.call(Context.empty(), "echo", Map.of("value", 1L << 40)));
            BigInteger big = BigInteger.TEN.pow(30);
            assertEquals(big, client.call(Context.empty(), "echo", Map.of("value", big)));
            assertEquals(1.5, client.call(Context.empty(), "echo", Map.of("value", 1.5f)));
            assertEquals(Map.of("k", List.of(1, "x", true)),
                    client.call(Context.empty(), "echo", Map.of("value", Map.of("k", List.of(1, "x", true)))));
            Map<String, Object> nullArg = new java.util.HashMap<>();
            nullArg.put("value", null);
            assertNull(client.call(Context.empty(), "echo", nullArg));
            return null;
        });
    }

    /** Typed results convert with a Class or a TypeReference. */
    @Test
    void typedResults() throws Exception {
        Rpc.withServer("typedResults", new Calc(), client -> {
            Router r = client.call(Context.empty(), "router", Map.of("router_id", "r1"), Router.class);
            assertEquals(new Router("r1", List.of("10.0.0.1")), r);
            List<Long> longs = client.call(Context.empty(), "echo", Map.of("value", List.of(1, 2)),
                    new TypeReference<List<Long>>() {});
            assertEquals(List.of(1L, 2L), longs);
            MessagingException e = assertThrows(MessagingException.class,
                    () -> client.call(Context.empty(), "echo", Map.of("value", "x"), Integer.class));
            assertTrue(e.getMessage().contains("cannot be converted"), e.getMessage());
            return null;
        });
    }

    /** The server's context holds exactly the caller's entries. */
    @Test
    void contextTravels() throws Exception {
        Object ctx = Rpc.withServer("contextTravels", new Calc(), client ->
                client.call(Context.of(Map.of("request_id", "req-1", "user_id", "u")), "whoami", Map.of()));
        assertEquals(Map.of("request_id", "req-1", "user_id", "u"), ctx);
    }

    /** The README's endpoint. */
    public static class L3Plugin {
        public List<String> getRouters(Context ctx, String host) {
            return List.of("r1", "r2");
        }
    }

    /** The README's RPC example runs as written. */
    @Test
    void readmeExample() throws Exception {
        Object out = VirtualHubs.run(() -> {
            try (Transport transport = Transport.create("inproc://demo")) {
                RpcServer server = new RpcServer(transport, new Target("q-l3-plugin").withServer("node-1"),
                        List.of(new L3Plugin()));
                server.start();
                RpcClient client = new RpcClient(transport, new Target("q-l3-plugin")).withTimeout(10);
                Object routers = client.call(Context.of(Map.of("request_id", "req-1")),
                        "get_routers", Map.of("host", "node-1"));
                client.withFanout(true).cast(Context.empty(), "get_routers", Map.of("host", "all"));
                server.stop();
                server.await();
                return routers;
            }
        });
        assertEquals(List.of("r1", "r2"), out);
    }

    /** A call to a topic with no server fails at once with MessageDeliveryFailure. */
    @Test
    void callWithoutServerFailsFast() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://callWithoutServerFailsFast")) {
                RpcClient client = new RpcClient(t, new Target("nobody"));
                double start = io.jeventlet.hubs.Hub.get().clock();
                assertThrows(MessageDeliveryFailure.class, () -> client.call(Context.empty(), "x", Map.of()));
                assertEquals(start, io.jeventlet.hubs.Hub.get().clock(), "no time passes");
                assertEquals(0, DriverTransport.of(t).replies().pending());
            }
        });
    }
}

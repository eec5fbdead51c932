package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeventlet.Eventlet;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcEndpoint;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * jeventlet and Python oslo.messaging (Debian's 14.x) on one broker, both
 * ways: a Python client calls and casts to an RpcServer, an RpcClient calls
 * and casts to a Python server.
 */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class RabbitOsloInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The endpoint the Python client's scenarios call (oslo_rabbit_peer.py's Echo, in Java). */
    public static final class Echo {
        final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();

        public Object echo(Context ctx, Object x) {
            return x;
        }

        public Map<String, Object> context(Context ctx) {
            return ctx.asMap();
        }

        public void fail(Context ctx, String message) {
            throw new IllegalArgumentException(message);
        }

        public void note(Context ctx, String value) {
            notes.add(value);
        }

        public String nap(Context ctx, double seconds) {
            Eventlet.sleep(seconds);
            return "rested";
        }
    }

    /** oslo_rabbit_peer.py's Versioned: namespace "ns" at 1.3. */
    @RpcEndpoint(namespace = "ns", version = "1.3")
    public static final class Versioned {
        public String which(Context ctx) {
            return "ns-1.3";
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> result(List<String> lines) {
        try {
            return JSON.readValue(lines.get(0), Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("the python client printed no JSON: " + lines, e);
        }
    }

    static void poll(java.util.function.BooleanSupplier cond, String what) {
        double deadline = System.nanoTime() / 1e9 + 10;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() / 1e9 > deadline) {
                throw new AssertionError(what + " did not happen within 10 s");
            }
            Eventlet.sleep(0.02);
        }
    }

    /** A Python oslo client gets results, contexts, RemoteErrors, heartbeats, casts, fanouts and versioned dispatch from an RpcServer. */
    @Test
    void pythonClientCallsJeventletServer() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        Echo echo = new Echo();
        try (Transport transport = Transport.create(RabbitRpcTest.conf())) {
            RpcServer server = new RpcServer(transport, new Target(topic).withServer("java1"),
                    List.of(echo, new Versioned()));
            server.start();
            try {
                // The Python client is a child process; this hub serves while the test thread waits for it.
                Map<String, Object> r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "echo", 10)).await());
                Map<String, Object> expected = new java.util.LinkedHashMap<>();
                expected.put("list", List.of(1, 2.5, "three"));
                expected.put("n", null);
                assertEquals(Map.of("ok", expected), r);

                r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "context", 10)).await());
                @SuppressWarnings("unchecked")
                Map<String, Object> ctx = (Map<String, Object>) r.get("ok");
                assertEquals("alice", ctx.get("user"), r.toString());
                assertEquals(List.of("admin"), ctx.get("roles"), r.toString());

                r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "fail", 10)).await());
                assertEquals("RemoteError", r.get("error"), r.toString());
                assertEquals("IllegalArgumentException", r.get("exc_type"), r.toString());
                assertTrue(String.valueOf(r.get("value")).contains("bad x"), r.toString());

                r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "missing", 10)).await());
                assertEquals("NoSuchMethod", r.get("exc_type"), r.toString());

                r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "versioned", 10)).await());
                assertEquals(Map.of("ok", "ns-1.3"), r);

                r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "unsupported", 10)).await());
                assertEquals("UnsupportedVersion", r.get("exc_type"), r.toString());

                // call_monitor_timeout=2 on a 3.5 s method: the RpcServer's heartbeats keep the Python caller waiting.
                r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "monitored", 10)).await());
                assertEquals(Map.of("ok", "rested"), r);

                Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "cast", 10)).await();
                poll(() -> echo.notes.contains("from-python"), "the Python cast's method run");
                Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "fanout", 10)).await();
                poll(() -> echo.notes.contains("fanout"), "the Python fanout's method run");
            } finally {
                server.stop();
                server.await();
            }
        }
    }

    /** An RpcClient gets results, contexts, RemoteErrors, heartbeats and versioned dispatch from a Python oslo server, and its casts run there. */
    @Test
    void jeventletClientCallsPythonServer() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (OsloRabbitPeer py = OsloRabbitPeer.server(url, topic, "py1");
             Transport transport = Transport.create(RabbitRpcTest.conf())) {
            RpcClient client = new RpcClient(transport, new Target(topic).withServer("py1")).withTimeout(10);
            assertEquals(Map.of("a", List.of(1, 2)), client.call(Context.empty(), "echo", Map.of("x", Map.of("a", List.of(1, 2)))));

            @SuppressWarnings("unchecked")
            Map<String, Object> ctx = (Map<String, Object>) client.call(Context.of(Map.of("user", "bob")), "context", Map.of());
            assertEquals("bob", ctx.get("user"), ctx.toString());

            RemoteError e = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "fail", Map.of("message", "bad y")));
            assertEquals("ValueError", e.excType());
            assertTrue(e.value().contains("bad y"), e.value());

            RemoteError missing = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "nope", Map.of()));
            assertEquals("NoSuchMethod", missing.excType());

            assertEquals("ns-1.3", client.withNamespace("ns").withVersion("1.1").call(Context.empty(), "which", Map.of()));
            RemoteError unsupported = assertThrows(RemoteError.class,
                    () -> client.withNamespace("ns").withVersion("2.0").call(Context.empty(), "which", Map.of()));
            assertEquals("UnsupportedVersion", unsupported.excType());

            // call_monitor_timeout=2 on a 3.5 s method: the Python server's heartbeats keep this call waiting.
            assertEquals("rested", client.withCallMonitorTimeout(2).call(Context.empty(), "nap", Map.of("seconds", 3.5)));

            client.cast(Context.empty(), "note", Map.of("value", "from-java"));
            py.expectLine("cast note {\"value\": \"from-java\"}", 10);
            new RpcClient(transport, new Target(topic)).withFanout(true).cast(Context.empty(), "note", Map.of("value", "fan"));
            py.expectLine("cast note {\"value\": \"fan\"}", 10);
        }
    }

    /**
     * With quorum queues on both sides (and so a durable control exchange of
     * their own), a Python server and an RpcServer share a topic and a
     * Python client reaches the Java one.
     */
    @Test
    void quorumQueuesDeclaredAlikeOnBothSides() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        String exchange = topic + "_exchange";
        try (OsloRabbitPeer py = OsloRabbitPeer.server(url, topic, "py1", "--exchange", exchange,
                     "--rabbit", "rabbit_quorum_queue=true");
             Transport transport = Transport.create(io.jeventlet.conf.ConfigOpts.builder()
                     .commandLine("rpc.transport_url", url)
                     .commandLine("rpc.control_exchange", exchange)
                     .commandLine("rabbit.rabbit_quorum_queue", "true").load())) {
            RpcServer server = new RpcServer(transport, new Target(topic).withServer("java1"), List.of(new Echo()));
            server.start();
            try {
                String args = RabbitBroker.ctl("list_queues", "name", "arguments", "durable").lines()
                        .filter(l -> l.startsWith(topic + "\t")).findFirst().orElse("");
                assertTrue(args.contains("quorum") && args.endsWith("true"), "queue " + topic + ": " + args);
                Map<String, Object> r = result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", "echo", 10,
                        "--exchange", exchange, "--rabbit", "rabbit_quorum_queue=true")).await());
                assertTrue(r.containsKey("ok"), r.toString());
            } finally {
                server.stop();
                server.await();
                // Quorum queues outlive their consumers: leave no trace on a developer's broker.
                py.close();
                for (String q : List.of(topic, topic + ".py1", topic + ".java1")) {
                    RabbitBroker.ctl("delete_queue", q);
                }
            }
        }
    }
}

package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeventlet.LogCapture;
import io.jeventlet.VirtualHubs;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RPC metrics interceptor: oslo.metrics' datagrams and the Micrometer series, over inproc://. */
class RpcMetricsTest {
    private static final Set<String> CLIENT_LABELS = Set.of("call_type", "exchange", "topic", "namespace", "version",
            "server", "fanout", "process", "method", "timeout");
    private static final Set<String> SERVER_LABELS = Set.of("exchange", "topic", "server", "endpoint", "namespace",
            "version", "method", "process");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The endpoint: adds, fails on request, takes casts. */
    public static final class Calc {
        public int add(Context ctx, int a, int b) {
            return a + b;
        }

        public int fail(Context ctx) {
            throw new IllegalStateException("failing on purpose");
        }

        public void note(Context ctx, String text) {
        }
    }

    /**
     * Every client invocation and server dispatch sends start, processing and
     * end datagrams (and exception for a failure) with exactly the
     * collector's label sets and each call's own values; Micrometer counts
     * the same.
     */
    @Test
    void callsAndCastsSendTheCollectorsDatagramsWithEachCallsLabels() throws Exception {
        String socket = dir.resolve("collector.sock").toString();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (UnixDatagram collector = UnixDatagram.bind(socket);
                OsloMetricsClient client = OsloMetricsClient.start(socket, 100)) {
            RpcMetricsInterceptor metrics = new RpcMetricsInterceptor(new RpcMetrics(registry, client, "java-test"));
            // The collector reads as it goes, as the real one does (a unix datagram queue holds only a few).
            List<Map<String, Object>> got = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (byte[] d; got.size() < 26 && (d = collector.receive(10)) != null; ) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = JSON.readValue(d, Map.class);
                        got.add(m);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            VirtualHubs.run(() -> {
                try (Transport transport = Transport.create("inproc://rpc-metrics").intercept(metrics)) {
                    RpcServer server = new RpcServer(transport, new Target("calc").withServer("host-1"),
                            List.of(new Calc()));
                    server.start();
                    try {
                        RpcClient c = new RpcClient(transport, new Target("calc"));
                        assertEquals(3, c.withTimeout(5).call(Context.empty(), "add", Map.of("a", 1, "b", 2)));
                        assertEquals(7, c.withTimeout(7.5).call(Context.empty(), "add", Map.of("a", 3, "b", 4)));
                        assertThrows(RemoteError.class, () -> c.withTimeout(5).call(Context.empty(), "fail", Map.of()));
                        c.cast(Context.empty(), "note", Map.of("text", "x"));
                    } finally {
                        server.stop();
                        server.await();
                    }
                }
                return null;
            });
            reader.join(30_000);
            assertEquals(26, got.size(), "datagrams: " + got);
            assertNull(collector.receive(0.3), "more datagrams than invocations send");
            for (Map<String, Object> m : got) {
                assertEquals("oslo_messaging", m.get("module"));
                String name = (String) m.get("name");
                @SuppressWarnings("unchecked")
                Map<String, Object> labels = (Map<String, Object>) m.get("labels");
                @SuppressWarnings("unchecked")
                Map<String, Object> action = (Map<String, Object>) m.get("action");
                assertEquals(Set.of("action", "value"), action.keySet());
                assertEquals(name.endsWith("_seconds") ? "observe" : "inc", action.get("action"), m.toString());
                Set<String> expected = new java.util.HashSet<>(name.startsWith("rpc_client") ? CLIENT_LABELS : SERVER_LABELS);
                if (name.endsWith("exception_total")) {
                    expected.add("exception");
                }
                assertEquals(expected, labels.keySet(), m.toString());
                assertEquals("java-test", labels.get("process"));
            }
            List<Map<String, Object>> starts = got.stream()
                    .filter(m -> m.get("name").equals("rpc_client_invocation_start_total")).toList();
            assertEquals(4, starts.size());
            List<Object> timeouts = starts.stream().map(m -> labels(m).get("timeout")).toList();
            assertEquals(List.of(5, 7.5, 5), timeouts.subList(0, 3), "each call's own timeout");
            assertNull(timeouts.get(3), "a cast has no timeout");
            assertEquals("cast", labels(starts.get(3)).get("call_type"));
            assertEquals(false, labels(starts.get(0)).get("fanout"));
            assertNull(labels(starts.get(0)).get("server"));
            Map<String, Object> serverException = got.stream()
                    .filter(m -> m.get("name").equals("rpc_server_exception_total")).findFirst().orElseThrow();
            assertEquals("IllegalStateException", labels(serverException).get("exception"));
            assertEquals("Calc", labels(serverException).get("endpoint"));
            assertEquals("host-1", labels(serverException).get("server"));
            Map<String, Object> clientException = got.stream()
                    .filter(m -> m.get("name").equals("rpc_client_exception_total")).findFirst().orElseThrow();
            assertEquals("RemoteError", labels(clientException).get("exception"));

            assertEquals(4, sum(registry, "oslo_messaging.rpc.client.invocation.start"));
            assertEquals(4, sum(registry, "oslo_messaging.rpc.client.invocation.end"));
            assertEquals(4, sum(registry, "oslo_messaging.rpc.server.invocation.end"));
            assertEquals(1, sum(registry, "oslo_messaging.rpc.server.exception"));
            assertEquals(4, registry.find("oslo_messaging.rpc.client.processing").timers().stream()
                    .mapToLong(t -> t.count()).sum());
            assertFalse(registry.find("oslo_messaging.rpc.client.invocation.start").tag("timeout", "7.5")
                    .tag("fanout", "False").tag("server", "None").counters().isEmpty(), "Python's str() of the labels");
        }
    }

    /**
     * With no collector listening, sending neither fails nor blocks; the
     * outage is logged once, the drops counted, and a collector that starts
     * later gets the datagrams sent after it.
     */
    @Test
    void absentCollectorIsLoggedOnceAndPickedUpWhenItAppears() throws Exception {
        String socket = dir.resolve("late.sock").toString();
        try (LogCapture log = new LogCapture(OsloMetricsClient.class);
                OsloMetricsClient client = OsloMetricsClient.start(socket, 10)) {
            for (int i = 0; i < 1000; i++) {
                client.send("rpc_client_invocation_start_total", "inc", null, Map.of("n", i));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (client.dropped() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1000, client.dropped(), "every datagram dropped: the buffer of 10 or the absent collector");
            assertEquals(1, log.count("no oslo.metrics collector listens at"), log.lines().toString());
            try (UnixDatagram collector = UnixDatagram.bind(socket)) {
                client.send("rpc_client_invocation_start_total", "inc", null, Map.of("n", "late"));
                byte[] d = collector.receive(10);
                assertTrue(d != null && new String(d).contains("late"), "the late collector got nothing");
                assertEquals(1, client.sent());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> m) {
        return (Map<String, Object>) m.get("labels");
    }

    private static double sum(SimpleMeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}

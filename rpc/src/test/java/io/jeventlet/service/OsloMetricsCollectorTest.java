package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.VirtualHubs;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real oslo.metrics collector ({@code oslo-metrics}) takes a Java
 * service's datagrams beside a Python oslo.messaging service's: both show on
 * its Prometheus page, each with its own counts.
 */
class OsloMetricsCollectorTest {
    @TempDir
    Path dir;
    private Process collector;

    @AfterEach
    void stopCollector() throws InterruptedException {
        if (collector != null) {
            collector.destroy();
            if (!collector.waitFor(10, TimeUnit.SECONDS)) {
                collector.destroyForcibly();
            }
        }
    }

    /** The endpoint of the Java service. */
    public static final class Calc {
        public int add(Context ctx, int a, int b) {
            return a + b;
        }

        public int fail(Context ctx) {
            throw new IllegalArgumentException("failing on purpose");
        }
    }

    /**
     * Three calls and a failing one from Java, three calls from Python: the
     * collector counts 4 Java client invocations (one exception, RemoteError),
     * 4 Java server dispatches (one IllegalArgumentException), and 3 Python
     * client invocations, each under its own process label.
     */
    @Test
    void javaAndPythonSeriesSideBySide() throws Exception {
        Path socket = dir.resolve("metrics.sock");
        int port = io.jeventlet.rpc.TestPorts.unused();
        Path conf = dir.resolve("collector.conf");
        Files.writeString(conf, "[oslo_metrics]\nmetrics_socket_file = " + socket + "\nprometheus_port = " + port + "\n");
        collector = new ProcessBuilder("oslo-metrics", "--config-file", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("collector.log").toFile()).start();
        String page = "http://127.0.0.1:" + port + "/metrics";
        awaitUp(socket, page);

        try (OsloMetricsClient client = OsloMetricsClient.start(socket.toString(), 1000)) {
            RpcMetricsInterceptor metrics = new RpcMetricsInterceptor(
                    new RpcMetrics(new SimpleMeterRegistry(), client, "java-svc"));
            VirtualHubs.run(() -> {
                try (Transport t = Transport.create("inproc://collector-test").intercept(metrics)) {
                    RpcServer server = new RpcServer(t, new Target("jtopic").withServer("jhost"), List.of(new Calc()));
                    server.start();
                    try {
                        RpcClient c = new RpcClient(t, new Target("jtopic")).withTimeout(30);
                        for (int i = 0; i < 3; i++) {
                            assertEquals(3, c.call(Context.empty(), "add", Map.of("a", 1, "b", 2)));
                        }
                        assertThrows(RemoteError.class, () -> c.call(Context.empty(), "fail", Map.of()));
                    } finally {
                        server.stop();
                        server.await();
                    }
                }
                return null;
            });
            Process python = new ProcessBuilder("/usr/bin/python3", "src/test/python/oslo_metrics_peer.py",
                    socket.toString(), "python-svc", "3").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("python.log").toFile()).start();
            try {
                assertTrue(python.waitFor(60, TimeUnit.SECONDS), "the Python service did not end");
                assertEquals(0, python.exitValue(), Files.readString(dir.resolve("python.log")));
            } finally {
                python.destroyForcibly();
            }

            PrometheusText text = PrometheusText.scrape(page);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!complete(text) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                text = PrometheusText.scrape(page);
            }
            Map<String, String> java = Map.of("process", "java-svc");
            Map<String, String> py = Map.of("process", "python-svc");
            assertEquals(4, text.sum("oslo_messaging_rpc_client_invocation_start_total", java), text.text());
            assertEquals(4, text.sum("oslo_messaging_rpc_client_invocation_end_total", java), text.text());
            assertEquals(4, text.sum("oslo_messaging_rpc_client_processing_seconds_count", java), text.text());
            assertEquals(1, text.sum("oslo_messaging_rpc_client_exception_total",
                    Map.of("process", "java-svc", "exception", "RemoteError", "method", "fail")), text.text());
            assertEquals(3, text.sum("oslo_messaging_rpc_client_invocation_start_total",
                    Map.of("process", "java-svc", "method", "add", "topic", "jtopic", "timeout", "30",
                            "call_type", "call", "fanout", "False", "server", "None")), text.text());
            assertEquals(4, text.sum("oslo_messaging_rpc_server_invocation_start_total",
                    Map.of("process", "java-svc", "endpoint", "Calc", "server", "jhost")), text.text());
            assertEquals(1, text.sum("oslo_messaging_rpc_server_exception_total",
                    Map.of("process", "java-svc", "exception", "IllegalArgumentException")), text.text());
            assertEquals(3, text.sum("oslo_messaging_rpc_client_invocation_start_total", py), text.text());
            assertEquals(3, text.sum("oslo_messaging_rpc_client_invocation_end_total",
                    Map.of("process", "python-svc", "topic", "pytopic", "method", "add")), text.text());
            assertEquals(0, client.dropped(), "datagrams were dropped");
        }
        String log = Files.readString(dir.resolve("collector.log"));
        assertTrue(!log.contains("Failed to parse") && !log.contains("Failed to load"),
                "the collector refused a datagram: " + log);
    }

    private static boolean complete(PrometheusText t) {
        return t.sum("oslo_messaging_rpc_client_invocation_end_total", Map.of("process", "java-svc")) >= 4
                && t.sum("oslo_messaging_rpc_server_invocation_end_total", Map.of("process", "java-svc")) >= 4
                && t.sum("oslo_messaging_rpc_client_invocation_end_total", Map.of("process", "python-svc")) >= 3;
    }

    /** Waits until the collector's socket exists and its page answers (bounded). */
    private void awaitUp(Path socket, String page) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            assertTrue(collector.isAlive(), "oslo-metrics ended: " + Files.readString(dir.resolve("collector.log")));
            if (Files.exists(socket)) {
                try {
                    PrometheusText.scrape(page);
                    return;
                } catch (IOException notYet) {
                    // the HTTP server starts after the socket
                }
            }
            assertTrue(System.nanoTime() < deadline, "oslo-metrics did not come up: "
                    + Files.readString(dir.resolve("collector.log")));
            Thread.sleep(50);
        }
    }

}

package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.service.PrometheusText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The zmq proxy daemon's {@code /metrics}: scraped over HTTP from a child JVM and parsed. */
// Each test starts up to two cold child JVMs and waits for each to say it is up: on two cores
// shared with brokers and builds that has taken over the 60 s default, with every wait still moving.
@Timeout(180)
class ZmqProxyMetricsTest {
    private static final Pattern AT = Pattern.compile("Prometheus metrics at http://(127\\.0\\.0\\.1:\\d+)/metrics");

    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    /**
     * With {@code metrics.prometheus_bind=127.0.0.1:0} the proxy logs where
     * it serves; the page shows its routed, dropped and registered counts
     * and its hub's series, and anything but GET /metrics is refused.
     */
    @Test
    void proxyServesItsCountersAndHubSeries() throws Exception {
        // Both ports are picked by the proxy itself (0) and read from its log: none is chosen
        // here and bound later by another process.
        Process proxy = java("proxy", ZmqProxyMain.class.getName(), "--port", "0",
                "--rpc_zmq.heartbeat_interval=0.25s", "--metrics.prometheus_bind=127.0.0.1:0");
        String hostPort = ZmqTestKit.awaitMatch(proxy, dir.resolve("proxy.err"), AT);
        String port = ZmqTestKit.awaitMatch(proxy, dir.resolve("proxy.err"), ZmqTestKit.PROXY_LISTENING);
        String url = "zmq://127.0.0.1:" + port;
        Process server = java("server", ZmqEchoServerMain.class.getName(), url, "child");
        await(server, "server.out", "READY");
        try (Transport t = Transport.create(ZmqRpcTest.conf(url))) {
            RpcClient client = new RpcClient(t, new Target("echo")).withTimeout(10);
            for (int i = 0; i < 5; i++) {
                assertEquals(i + 1, client.call(Context.empty(), "inc", Map.of("n", i), Integer.class));
            }
            client.cast(Context.empty(), "nobody", Map.of());
            new RpcClient(t, new Target("no-such-topic")).cast(Context.empty(), "x", Map.of());
            try {
                new RpcClient(t, new Target("no-such-topic")).withTimeout(10).call(Context.empty(), "x", Map.of());
                throw new AssertionError("a call to a topic nobody serves was answered");
            } catch (io.jeventlet.rpc.MessageDeliveryFailure expected) {
                // NOROUTE, counted by the proxy; the cast before it on the same link was dropped before.
            }
        }
        String metrics = "http://" + hostPort + "/metrics";
        PrometheusText page = PrometheusText.scrape(metrics);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // The registered gauge follows the proxy's quarter-second sweep; the cast drop is counted as it arrives.
        while ((page.sum("jeventlet_zmq_proxy_registered", Map.of()) < 1
                || page.sum("jeventlet_zmq_proxy_dropped_total", Map.of("reason", "cast_dropped")) < 1)
                && System.nanoTime() < deadline) {
            Eventlet.sleep(0.1);
            page = PrometheusText.scrape(metrics);
        }
        assertTrue(page.sum("jeventlet_zmq_proxy_routed_total", Map.of()) >= 5, page.text());
        assertTrue(page.sum("jeventlet_zmq_proxy_registered", Map.of()) >= 1, page.text());
        assertEquals(1, page.sum("jeventlet_zmq_proxy_dropped_total", Map.of("reason", "cast_dropped")), page.text());
        assertEquals(1, page.sum("jeventlet_zmq_proxy_noroute_total", Map.of()), page.text());
        assertFalse(page.find("jeventlet_hub_green_threads", Map.of("hub", "main")).isEmpty(), page.text());
        assertFalse(page.find("jeventlet_hub_blocked_total", Map.of("hub", "main")).isEmpty(), page.text());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (page.sum("jeventlet_hub_lag_seconds_count", Map.of("hub", "main", "kind", "ready")) < 1
                && System.nanoTime() < deadline) {
            Eventlet.sleep(0.2);
            page = PrometheusText.scrape(metrics);
        }
        assertTrue(page.sum("jeventlet_hub_lag_seconds_count", Map.of("hub", "main", "kind", "ready")) >= 1,
                page.text());
        assertFalse(page.find("jeventlet_hub_lag_seconds_bucket", Map.of("hub", "main", "le", "0.001")).isEmpty(),
                page.text());
        try {
            PrometheusText.scrape("http://" + hostPort + "/other");
            throw new AssertionError("/other was served");
        } catch (IOException expected) {
            assertTrue(expected.getMessage().contains("status 404"), expected.getMessage());
        }
    }

    private Process java(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.trackAllThreads=false", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=zmq-main.xml", mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
        children.add(p);
        return p;
    }

    private String read(String file) throws IOException {
        Path f = dir.resolve(file);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private void await(Process p, String file, String text) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ZmqTestKit.CHILD_START_SECONDS);
        while (!read(file).contains(text)) {
            assertTrue(p.isAlive(), file + " ended early: " + read(file) + read(file.replace(".out", ".err")));
            assertTrue(System.nanoTime() < deadline, "never saw '" + text + "' in " + file + ": " + read(file));
            Eventlet.sleep(0.05);
        }
    }
}

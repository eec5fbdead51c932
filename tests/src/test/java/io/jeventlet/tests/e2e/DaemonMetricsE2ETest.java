package io.jeventlet.tests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The daemons' {@code /metrics} in a real deployment (proxy, plugin
 * simulator and an agent, each its own JVM, over zmq://): the agent's and
 * the plugin's pages show the oslo.messaging RPC series of both sides, the
 * hub series and the bus series, and parse as Prometheus text.
 */
@Timeout(180)
class DaemonMetricsE2ETest {
    private static final Pattern AT = Pattern.compile("Prometheus metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)");

    /** Both daemons' pages: client and server RPC series, hub lag and green threads, the zmq bus, the agent's pool. */
    @Test
    void agentAndPluginServeRpcHubAndBusSeries() throws Exception {
        // Each daemon binds a port it picks (0) and logs where it serves: none is chosen here and bound later.
        try (Deployment d = Deployment.zmq("metrics", 1, 0,
                List.of("--plugin.routers=5", "--plugin.seed=3", "--metrics.prometheus_bind=127.0.0.1:0"),
                List.of("--metrics.prometheus_bind=127.0.0.1:0"))) {
            d.awaitConvergence(30);
            String agent = d.agent("agent-1").awaitMatch(AT, Deployment.START_SECONDS);
            String plugin = d.plugin().awaitMatch(AT, Deployment.START_SECONDS);
            Polling.until(20, Polling.PERIOD_MS,
                    () -> sum(scrape(agent), "jeventlet_hub_lag_seconds_count", Map.of("hub", "main")) > 0 ? null
                            : "no hub lag sample on the agent's page yet", () -> scrape(agent));
            String a = scrape(agent);
            assertTrue(sum(a, "oslo_messaging_rpc_client_invocation_start_total",
                    Map.of("process", "l3-agent", "topic", "q-l3-plugin", "call_type", "call")) > 0, a);
            assertTrue(sum(a, "oslo_messaging_rpc_client_processing_seconds_count", Map.of("process", "l3-agent")) > 0, a);
            assertTrue(sum(a, "oslo_messaging_rpc_server_invocation_end_total",
                    Map.of("process", "l3-agent", "server", "agent-1")) > 0, a);
            assertTrue(a.contains("jeventlet_hub_green_threads{hub=\"main\"}"), a);
            assertTrue(a.contains("jeventlet_rpc_reconnects_total{bus=\"zmq\"}"), a);
            assertTrue(a.contains("jeventlet_rpc_blocked{bus=\"zmq\"}"), a);
            assertTrue(a.contains("jeventlet_greenpool_free{pool=\"router_processing:agent-1\"}"), a);
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "e2e", "agent-metrics.txt"), a);
            String p = scrape(plugin);
            assertTrue(sum(p, "oslo_messaging_rpc_server_invocation_start_total",
                    Map.of("process", "l3-plugin-sim", "topic", "q-l3-plugin")) > 0, p);
            assertTrue(p.contains("jeventlet_hub_blocked_total{hub=\"main\"}"), p);
        }
    }

    private static String scrape(String url) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + url + ": " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The sum of the samples of series {@code name} whose labels include {@code labels}; every line must parse. */
    private static double sum(String page, String name, Map<String, String> labels) {
        double total = 0;
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a Prometheus sample line: " + line);
            if (!m.group(1).equals(name)) {
                continue;
            }
            String l = m.group(3) == null ? "" : m.group(3);
            if (labels.entrySet().stream().allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }
}

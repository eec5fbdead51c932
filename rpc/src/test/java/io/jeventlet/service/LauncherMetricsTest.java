package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.LogCapture;
import io.jeventlet.conf.ConfigOpts;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher's metrics endpoint, in process: served while the services run, refused by name when it cannot be. */
class LauncherMetricsTest {

    private static ConfigOpts conf(String bind) {
        return ConfigOpts.builder().systemProperties(Map.of()).environment(Map.of())
                .override(MetricsOpts.PROMETHEUS_BIND, bind).load();
    }

    /** A service that waits to be stopped. */
    static final class Idle extends Service {
    }

    /**
     * While a launcher runs, GET /metrics on prometheus_bind answers with the
     * launcher hubs' series, and anything but /metrics is a 404; after the
     * launcher returns the port is closed.
     */
    @Test
    void servesWhileTheLauncherRuns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ServiceLauncher launcher = new ServiceLauncher(conf("127.0.0.1:" + port));
        launcher.launchService(() -> new Idle(), 1);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Thread.ofPlatform().name("metrics-test-main").start(() -> {
            try {
                status.complete(launcher.await());
            } catch (Throwable t) {
                status.completeExceptionally(t);
            }
        });
        String url = "http://127.0.0.1:" + port + "/metrics";
        PrometheusText page = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (page == null || page.find("jeventlet_hub_green_threads", Map.of("hub", "worker-1")).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no worker hub series: " + (page == null ? "no page" : page.text()));
            try {
                page = PrometheusText.scrape(url);
            } catch (java.io.IOException notYet) {
                Thread.sleep(20);
            }
        }
        assertFalse(page.find("jeventlet_hub_green_threads", Map.of("hub", "metrics-test-main")).isEmpty(), page.text());
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> PrometheusText.scrape("http://127.0.0.1:" + port + "/"));
        assertTrue(e.getMessage().contains("status 404"), e.getMessage());
        launcher.stop();
        assertEquals(ServiceLauncher.EXIT_OK, status.get(20, TimeUnit.SECONDS));
        assertThrows(java.io.IOException.class, () -> PrometheusText.scrape(url), "still served after the launcher ended");
    }

    /** A malformed prometheus_bind ends await() with the failure status and a message naming it. */
    @Test
    void malformedBindFailsTheStartByName() throws Exception {
        ServiceLauncher launcher = new ServiceLauncher(conf("no-port-here"));
        launcher.launchService(() -> new Idle(), 1);
        try (LogCapture log = new LogCapture(ServiceLauncher.class)) {
            CompletableFuture<Integer> status = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> status.complete(launcher.await()));
            assertEquals(ServiceLauncher.EXIT_FAILURE, status.get(20, TimeUnit.SECONDS));
            assertEquals(1, log.count("metrics.prometheus_bind = no-port-here is not valid: expected HOST:PORT"),
                    log.lines().toString());
        }
    }
}

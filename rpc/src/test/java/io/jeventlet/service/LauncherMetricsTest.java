package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.LogCapture;
import io.jeventlet.conf.ConfigOpts;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The launcher's metrics endpoint, in process: served while the services run, refused by name when it cannot be. */
class LauncherMetricsTest {
    private static final Pattern AT = Pattern.compile("Prometheus metrics at http://(127\\.0\\.0\\.1:\\d+)/metrics");

    /** Polls {@code value} every 20 ms until it is not null; fails naming {@code what} after 20 s. */
    private static <T> T poll(String what, Callable<T> value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (T v; ; Thread.sleep(20)) {
            if ((v = value.call()) != null) {
                return v;
            }
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
        }
    }

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
        // The endpoint binds a port it picks (0) and logs it: none is chosen here and bound later.
        String hostPort;
        ServiceLauncher launcher = new ServiceLauncher(conf("127.0.0.1:0"));
        launcher.launchService(() -> new Idle(), 1);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        try (LogCapture log = new LogCapture(PrometheusEndpoint.class, Level.INFO)) {
            Thread.ofPlatform().name("metrics-test-main").start(() -> {
                try {
                    status.complete(launcher.await());
                } catch (Throwable t) {
                    status.completeExceptionally(t);
                }
            });
            hostPort = poll("the endpoint's address in the log", () -> {
                assertFalse(status.isDone(), () -> "the launcher ended first: " + status);
                Matcher m = AT.matcher(String.join("\n", log.lines()));
                return m.find() ? m.group(1) : null;
            });
        }
        String url = "http://" + hostPort + "/metrics";
        PrometheusText page = poll("the worker hub's series", () -> {
            try {
                PrometheusText p = PrometheusText.scrape(url);
                return p.find("jeventlet_hub_green_threads", Map.of("hub", "worker-1")).isEmpty() ? null : p;
            } catch (java.io.IOException notYet) {
                return null;
            }
        });
        assertFalse(page.find("jeventlet_hub_green_threads", Map.of("hub", "metrics-test-main")).isEmpty(), page.text());
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> PrometheusText.scrape("http://" + hostPort + "/"));
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

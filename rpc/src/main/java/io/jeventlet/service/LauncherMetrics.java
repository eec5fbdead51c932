package io.jeventlet.service;

import io.jeventlet.conf.ConfigOpts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ServiceLauncher} runs for metrics while it runs, from the
 * {@code metrics} options: the Prometheus endpoint of
 * {@code metrics.prometheus_bind} and, with {@code metrics.metrics_enabled},
 * the process's {@link OsloMetricsClient} (which
 * the RPC metrics send to).
 *
 * <p>Thread rule: made and closed by the launcher's thread.
 */
final class LauncherMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LauncherMetrics.class);

    private final AutoCloseable endpoint;

    private LauncherMetrics(AutoCloseable endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Starts what {@code conf} asks for; with no {@code metrics} group
     * registered (a configuration built without discovery), nothing.
     *
     * @throws IllegalArgumentException for a malformed {@code prometheus_bind}
     * @throws UncheckedIOException when it cannot be bound
     */
    static LauncherMetrics start(ConfigOpts conf) {
        if (!conf.groups().contains(MetricsOpts.METRICS)) {
            return new LauncherMetrics(null);
        }
        String bind = conf.get(MetricsOpts.PROMETHEUS_BIND);
        if (bind == null || bind.isBlank()) {
            return new LauncherMetrics(null);
        }
        InetSocketAddress address = parseBind(bind);
        try {
            Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", false,
                    LauncherMetrics.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("metrics.prometheus_bind = " + bind + " needs"
                    + " io.micrometer:micrometer-registry-prometheus on the class path, and it is not there");
        }
        try {
            return new LauncherMetrics(PrometheusEndpoint.start(address));
        } catch (IOException e) {
            throw new UncheckedIOException("metrics.prometheus_bind = " + bind + " cannot be bound: " + e.getMessage(), e);
        }
    }

    /** {@code HOST:PORT} ({@code [V6]:PORT} for IPv6) as a socket address; a clear error names a bad one. */
    static InetSocketAddress parseBind(String bind) {
        int colon = bind.lastIndexOf(':');
        String host = colon <= 0 ? "" : bind.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(bind.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (colon <= 0 || host.isEmpty() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics.prometheus_bind = " + bind
                    + " is not valid: expected HOST:PORT, e.g. 127.0.0.1:9100 (port 0 picks a free one)");
        }
        return new InetSocketAddress(host, port);
    }

    @Override
    public void close() {
        if (endpoint != null) {
            try {
                endpoint.close();
            } catch (Exception e) {
                LOG.warn("closing the metrics endpoint failed: {}", e.toString());
            }
        }
    }
}

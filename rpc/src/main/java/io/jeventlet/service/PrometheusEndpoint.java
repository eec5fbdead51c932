package io.jeventlet.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's {@code GET /metrics}: Micrometer's global registry in
 * Prometheus text format (exposition 0.0.4), served by the JDK's HTTP server
 * on {@code metrics.prometheus_bind}. Starting it adds a Prometheus registry
 * to the global one, so every series the libraries record shows; closing it
 * removes that registry again.
 *
 * <p>Only {@code GET} (and {@code HEAD}) of {@code /metrics} are served;
 * anything else is a 404 or 405. The server runs on one platform thread of
 * its own, never on a hub, so a scrape works while a hub is stuck (and shows
 * it).
 *
 * <p>Thread-safe: start and close are for the launcher's thread; scrapes are
 * served on the endpoint's own thread.
 */
final class PrometheusEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} and serves until {@link #close()}; logs the bound address. */
    static PrometheusEndpoint start(InetSocketAddress address) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("jeventlet-prometheus").factory());
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(registry, exchange));
        server.start();
        Metrics.addRegistry(registry);
        PrometheusEndpoint e = new PrometheusEndpoint(registry, server, executor);
        LOG.info("Prometheus metrics at http://{}/metrics", hostPort(e.address()));
        return e;
    }

    /** The bound address (the port chosen when 0 was asked for). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }

    private static void serve(PrometheusMeterRegistry registry, HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                reply(exchange, 404, "not found: only /metrics is served\n", false);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method not allowed: " + method + "\n", false);
            } else {
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                reply(exchange, 200, registry.scrape(), method.equals("HEAD"));
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}

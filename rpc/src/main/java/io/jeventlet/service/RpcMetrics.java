package io.jeventlet.service;

import io.jeventlet.conf.ConfigOpts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The eight {@code oslo_messaging_rpc_*} series of oslo.metrics, recorded
 * for one RPC invocation (client side) or dispatch (server side): on
 * Micrometer (Prometheus names {@code oslo_messaging_rpc_client_invocation_start_total},
 * {@code ..._invocation_end_total}, {@code ..._processing_seconds} with the
 * collector's buckets, {@code ..._exception_total}, and the same for
 * {@code server}), and, when an {@link OsloMetricsClient} is given, as
 * datagrams to oslo.metrics' collector.
 *
 * <p>The labels are exactly the collector's (it drops a datagram with one
 * too many or too few), in its order, with each call's own values (oslo 14's
 * client keeps those of its first call). On Micrometer a label's value is
 * rendered as the collector renders the datagram's JSON value, so both
 * pages show the same series: null as {@code None}, booleans as
 * {@code True}/{@code False}, a whole number of seconds without a fraction.
 * A failed invocation counts start, end, processing and exception (with
 * {@code exception} = the simple class name of what was raised).
 *
 * <p>Thread-safe: Micrometer's meters and the client's buffer are.
 */
public final class RpcMetrics {
    /** oslo.metrics' {@code rpc_processing_seconds_buckets}. */
    static final double[] BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 25.0,
        50.0, 75.0, 100};
    private static final Duration[] SLOS = slos();

    private final MeterRegistry registry;
    private final OsloMetricsClient collector;
    private final String process;

    /** One collector client per socket file and JVM, as oslo keeps one per process; never closed. */
    private static final Map<String, OsloMetricsClient> COLLECTORS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The RPC metrics {@code conf} asks for: always on Micrometer's global
     * registry; with {@code metrics.metrics_enabled}, also to the collector at
     * {@code metrics.metrics_socket_file}. The {@code process} label is
     * {@code metrics.metrics_process_name}, else the program's name.
     */
    public static RpcMetrics fromConfig(ConfigOpts conf) {
        if (!conf.groups().contains(MetricsOpts.METRICS)) {
            return new RpcMetrics(OpsMetrics.registry(), null, processName(null, conf.prog()));
        }
        String process = processName(conf.get(MetricsOpts.METRICS_PROCESS_NAME), conf.prog());
        OsloMetricsClient collector = null;
        if (Boolean.TRUE.equals(conf.get(MetricsOpts.METRICS_ENABLED))) {
            String socket = conf.get(MetricsOpts.METRICS_SOCKET_FILE);
            int size = conf.get(MetricsOpts.METRICS_BUFFER_SIZE);
            collector = COLLECTORS.computeIfAbsent(socket, s -> {
                try {
                    return OsloMetricsClient.start(s, size);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("metrics.metrics_enabled: no unix datagram socket for "
                            + s + ": " + e.getMessage(), e);
                }
            });
        }
        return new RpcMetrics(OpsMetrics.registry(), collector, process);
    }

    private static String processName(String configured, String prog) {
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        return prog != null ? prog : "jeventlet";
    }

    /**
     * Records on {@code registry}, and to {@code collector} when not null,
     * with {@code process} as the {@code process} label.
     */
    public RpcMetrics(MeterRegistry registry, OsloMetricsClient collector, String process) {
        this.registry = registry;
        this.collector = collector;
        this.process = process;
    }

    /** The client side's labels, in the collector's order, with the process label set. */
    public Map<String, Object> clientLabels(boolean cast, String exchange, String topic, String namespace,
            String version, String server, boolean fanout, String method, Double timeout) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("call_type", cast ? "cast" : "call");
        l.put("exchange", exchange);
        l.put("topic", topic);
        l.put("namespace", namespace);
        l.put("version", version);
        l.put("server", server);
        l.put("fanout", fanout);
        l.put("process", process);
        l.put("method", method);
        l.put("timeout", cast || timeout == null || timeout.isInfinite() ? null : wholeIfWhole(timeout));
        return l;
    }

    /** The server side's labels, in the collector's order, with the process label set. */
    public Map<String, Object> serverLabels(String exchange, String topic, String server, String endpoint,
            String namespace, String version, String method) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("exchange", exchange);
        l.put("topic", topic);
        l.put("server", server);
        l.put("endpoint", endpoint);
        l.put("namespace", namespace);
        l.put("version", version);
        l.put("method", method);
        l.put("process", process);
        return l;
    }

    /**
     * Runs {@code body} as one invocation ({@code side} {@code "client"} or
     * {@code "server"}) with {@code labels}, recording start, end, processing
     * time and any exception; returns or rethrows what {@code body} did.
     */
    public Object record(String side, Map<String, Object> labels, Supplier<Object> body) {
        Tags tags = tags(labels);
        String prefix = "rpc_" + side + "_";
        inc(prefix + "invocation_start_total", tags, labels);
        long began = System.nanoTime();
        Throwable failure = null;
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            long nanos = System.nanoTime() - began;
            Timer.builder("oslo_messaging.rpc." + side + ".processing").description("Duration of RPC processing.")
                    .tags(tags).serviceLevelObjectives(SLOS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
            send(prefix + "processing_seconds", "observe", nanos / 1e9, labels);
            inc(prefix + "invocation_end_total", tags, labels);
            if (failure != null) {
                Throwable seen = failure instanceof io.jeventlet.rpc.ExpectedException && failure.getCause() != null
                        ? failure.getCause() : failure;
                String exception = seen.getClass().getSimpleName();
                Map<String, Object> withException = new LinkedHashMap<>(labels);
                withException.put("exception", exception);
                Counter.builder("oslo_messaging.rpc." + side + ".exception")
                        .description("Total number of exception while RPC processing.")
                        .tags(tags.and("exception", exception)).register(registry).increment();
                send(prefix + "exception_total", "inc", null, withException);
            }
        }
    }

    private void inc(String name, Tags tags, Map<String, Object> labels) {
        // rpc_client_invocation_start_total -> oslo_messaging.rpc.client.invocation.start (Prometheus adds _total).
        String micrometerName = "oslo_messaging." + name.substring(0, name.length() - "_total".length())
                .replaceFirst("^rpc_(client|server)_", "rpc.$1.").replace('_', '.');
        Counter.builder(micrometerName).tags(tags).register(registry).increment();
        send(name, "inc", null, labels);
    }

    private void send(String name, String action, Object value, Map<String, Object> labels) {
        if (collector != null) {
            collector.send(name, action, value, labels);
        }
    }

    private static Tags tags(Map<String, Object> labels) {
        String[] kv = new String[labels.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : labels.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = pythonStr(e.getValue());
        }
        return Tags.of(kv);
    }

    /** How Python's {@code str()} shows a decoded JSON value: the collector's label value. */
    static String pythonStr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return v.toString();
    }

    private static Object wholeIfWhole(double seconds) {
        return seconds == Math.rint(seconds) && Math.abs(seconds) < 1e15 ? (Object) (long) seconds : (Object) seconds;
    }

    private static Duration[] slos() {
        Duration[] d = new Duration[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
            d[i] = Duration.ofNanos(Math.round(BUCKETS[i] * 1e9));
        }
        return d;
    }
}

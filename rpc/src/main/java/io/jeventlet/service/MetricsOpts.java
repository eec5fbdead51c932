package io.jeventlet.service;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import java.util.List;

/**
 * The {@code metrics} option group: oslo.messaging's
 * {@code [oslo_messaging_metrics]} options under their oslo names (the
 * datagrams to oslo.metrics' collector), and {@code prometheus_bind}, the
 * daemons' own {@code /metrics} endpoint. Defaults live in this module's
 * {@code reference.conf}; what each option does for an operator is in the
 * project's {@code docs/OPERATIONS.md}.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class MetricsOpts implements OptGroupProvider {

    /** The {@code metrics} group. */
    public static final OptGroup METRICS = new OptGroup("metrics",
            "Metrics: oslo.metrics' collector datagrams (oslo.messaging's [oslo_messaging_metrics]) and the"
                    + " Prometheus endpoint.");

    /** {@code metrics.metrics_enabled}: send oslo.metrics datagrams for every RPC invocation and dispatch. */
    public static final Opt<Boolean> METRICS_ENABLED = METRICS.add(Opt.boolOpt("metrics_enabled")
            .help("Send every RPC client invocation and server dispatch to oslo.metrics' collector (oslo's"
                    + " metrics_enabled)."));
    /** {@code metrics.metrics_socket_file}: the collector's unix datagram socket. */
    public static final Opt<String> METRICS_SOCKET_FILE = METRICS.add(Opt.stringOpt("metrics_socket_file")
            .help("The oslo-metrics collector's unix datagram socket (a path, or @name for the abstract namespace)."));
    /** {@code metrics.metrics_buffer_size}: datagrams waiting to be sent before new ones are dropped and counted. */
    public static final Opt<Integer> METRICS_BUFFER_SIZE = METRICS.add(Opt.intOpt("metrics_buffer_size").min(1)
            .help("Datagrams that may wait to be sent; past it new ones are dropped and counted, never waited for."));
    /** {@code metrics.metrics_process_name}: the {@code process} label; empty: the program's name. */
    public static final Opt<String> METRICS_PROCESS_NAME = METRICS.add(Opt.stringOpt("metrics_process_name")
            .help("The process label of the datagrams; empty: the program's name."));
    /** {@code metrics.metrics_thread_stop_timeout}: accepted for oslo compatibility; the sender thread stays. */
    public static final Opt<Integer> METRICS_THREAD_STOP_TIMEOUT = METRICS.add(
            Opt.intOpt("metrics_thread_stop_timeout").min(0)
                    .help("Accepted for compatibility with oslo.messaging; the sender here is one idle thread."));
    /** {@code metrics.prometheus_bind}: unset, or {@code HOST:PORT} where a daemon serves {@code GET /metrics}. */
    public static final Opt<String> PROMETHEUS_BIND = METRICS.add(Opt.stringOpt("prometheus_bind")
            .help("Unset, or HOST:PORT where the daemon serves GET /metrics in Prometheus text format (port 0"
                    + " picks a free one and logs it). Use a loopback host unless scrapers come from elsewhere."));

    @Override
    public List<OptGroup> groups() {
        return List.of(METRICS);
    }
}

package io.jeventlet.rpc.zmq;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ZmqProxy}'s counters on Micrometer, read from
 * {@link ZmqProxy#stats()} at each scrape (the proxy keeps counting as
 * before; nothing is added to its routing path):
 * {@code jeventlet_zmq_proxy_routed_total}, {@code jeventlet_zmq_proxy_noroute_total},
 * {@code jeventlet_zmq_proxy_dropped_total{reason}} and the gauge
 * {@code jeventlet_zmq_proxy_registered} (live server registrations), each
 * tagged {@code proxy=<endpoint>}.
 *
 * <p>Thread-safe: the proxy's stats are snapshots; binding and closing are
 * for the thread that owns the proxy's service.
 */
final class ZmqProxyMetrics implements AutoCloseable {
    /** The reasons the proxy drops a message for (its DropLog's names). */
    private static final List<String> DROP_REASONS = List.of("cast_dropped", "reply_unroutable", "peer_backlogged",
            "malformed", "oversized", "bad_version", "auth_refused", "no_identity", "no_hello", "attach_refused", "identity_refused",
            "register_refused", "reply_unexpected", "pending_full", "duplicate_msg_id", "notification_dropped");

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private ZmqProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static ZmqProxyMetrics bind(ZmqProxy proxy, MeterRegistry registry) {
        ZmqProxyMetrics m = new ZmqProxyMetrics(registry);
        String endpoint = proxy.endpoint();
        m.meters.add(FunctionCounter.builder("jeventlet.zmq.proxy.routed", proxy, p -> stat(p, "routed"))
                .description("Requests and replies the proxy routed").tag("proxy", endpoint).register(registry));
        m.meters.add(FunctionCounter.builder("jeventlet.zmq.proxy.noroute", proxy, p -> stat(p, "noroute"))
                .description("Calls answered NOROUTE: no live server was registered").tag("proxy", endpoint)
                .register(registry));
        for (String reason : DROP_REASONS) {
            m.meters.add(FunctionCounter.builder("jeventlet.zmq.proxy.dropped", proxy, p -> stat(p, reason))
                    .description("Messages the proxy dropped, by reason").tags("proxy", endpoint, "reason", reason)
                    .register(registry));
        }
        m.meters.add(Gauge.builder("jeventlet.zmq.proxy.registered", proxy, ZmqProxy::registered)
                .description("Live server registrations").tag("proxy", endpoint).register(registry));
        return m;
    }

    private static double stat(ZmqProxy p, String name) {
        Long v = p.stats().get(name);
        return v == null ? 0 : v;
    }

    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}

package io.jeventlet.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The project's own metric series on Micrometer's global registry, by the
 * names the operators' dashboards use (pinned in the API contract). Every
 * library of the project records here, so an application that embeds
 * jeventlet sees them in its own registry (add it to
 * {@link Metrics#globalRegistry}), and a daemon's {@code /metrics} serves
 * them. With no registry added, recording is a cheap no-op.
 *
 * <p>Names as Prometheus shows them (Micrometer's dotted names map to these):
 * <ul>
 * <li>{@code jeventlet_notifications_total{priority,result}} — recorded by the notifiers and listeners
 * ({@code io.jeventlet.rpc.notify.NotificationCounters});
 * <li>{@code jeventlet_rpc_reconnects_total{bus}} — {@link #reconnect};
 * <li>{@code jeventlet_rpc_dropped_total{bus,reason}} — {@link #dropped};
 * <li>{@code jeventlet_rpc_blocked{bus}} — 1 while a bus refuses to publish (a broker's resource alarm);
 * <li>the hub and RPC series: {@link HubMonitor}, {@link RpcMetrics}.
 * </ul>
 *
 * <p>Thread-safe: Micrometer's meters are.
 */
public final class OpsMetrics {
    /** Micrometer name of {@code jeventlet_rpc_reconnects_total}. */
    public static final String RECONNECTS = "jeventlet.rpc.reconnects";
    /** Micrometer name of {@code jeventlet_rpc_dropped_total}. */
    public static final String DROPPED = "jeventlet.rpc.dropped";
    /** Micrometer name of {@code jeventlet_rpc_blocked}. */
    public static final String BLOCKED = "jeventlet.rpc.blocked";

    private static final ConcurrentHashMap<String, AtomicInteger> BLOCKED_STATE = new ConcurrentHashMap<>();

    private OpsMetrics() {
    }

    /** Counts one reconnect of bus {@code bus} ({@code rabbit}, {@code zmq}, ...). */
    public static void reconnect(String bus) {
        reconnects(bus).increment();
    }

    /** The reconnect counter of bus {@code bus} (registering it shows the series at 0). */
    static Counter reconnects(String bus) {
        return Counter.builder(RECONNECTS).description("Reconnects to the bus").tag("bus", bus).register(registry());
    }

    /** Counts one message of bus {@code bus} dropped for {@code reason} (a short snake_case word). */
    public static void dropped(String bus, String reason) {
        Counter.builder(DROPPED).description("Messages dropped by the bus, by reason").tag("bus", bus)
                .tag("reason", reason).register(registry()).increment();
    }

    /** Sets whether bus {@code bus} is blocked now (a broker refusing publishes): the gauge reads 1 or 0. */
    public static void blocked(String bus, boolean on) {
        BLOCKED_STATE.computeIfAbsent(bus, b -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.builder(BLOCKED, state, AtomicInteger::get).description("1 while the bus refuses to publish")
                    .tag("bus", b).strongReference(true).register(registry());
            return state;
        }).set(on ? 1 : 0);
    }

    /** Where the project records: Micrometer's global registry. */
    static MeterRegistry registry() {
        return Metrics.globalRegistry;
    }
}

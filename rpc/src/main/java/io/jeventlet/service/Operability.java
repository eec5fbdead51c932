package io.jeventlet.service;

import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.spi.TransportEvent;
import io.jeventlet.rpc.spi.TransportEvents;

/**
 * One line to make a transport observable as the daemons are:
 * {@code Operability.instrument(Transport.create(conf))} returns a view
 * whose clients and servers are traced ({@link TracingInterceptor}, outermost,
 * so the metrics' time includes nothing of it) and measured
 * ({@link RpcMetricsInterceptor}, from the transport's configuration), and
 * makes sure bus-level events are counted ({@link #bindTransportEvents}).
 *
 * <p>Thread-safe.
 */
public final class Operability {
    private static TransportEvents.Subscription events;

    private Operability() {
    }

    /** {@code transport} traced and measured; closing the view closes the transport. */
    public static Transport instrument(Transport transport) {
        bindTransportEvents();
        // The bus's series show from the start (at 0), not only after its first reconnect or alarm.
        String url = transport.url();
        int colon = url.indexOf("://");
        if (colon > 0) {
            String bus = url.substring(0, colon);
            OpsMetrics.reconnects(bus);
            OpsMetrics.blocked(bus, false);
        }
        return transport.intercept(new TracingInterceptor(), RpcMetricsInterceptor.fromConfig(transport.conf()));
    }

    /**
     * Counts every transport's bus-level events on Micrometer's global
     * registry, once per JVM: reconnects ({@code jeventlet_rpc_reconnects_total{bus}}),
     * drops by reason ({@code jeventlet_rpc_dropped_total{bus,reason}}) and
     * whether the broker blocks publishing ({@code jeventlet_rpc_blocked{bus}}).
     * The {@link ServiceLauncher} calls it; an application that embeds the
     * transports may too.
     */
    public static synchronized void bindTransportEvents() {
        if (events == null) {
            events = TransportEvents.subscribeAll(Operability::count);
        }
    }

    private static void count(TransportEvent e) {
        switch (e.kind()) {
            case RECONNECTED -> OpsMetrics.reconnect(e.bus());
            case DROPPED -> OpsMetrics.dropped(e.bus(), e.reason().isEmpty() ? "unknown" : e.reason());
            case BLOCKED -> OpsMetrics.blocked(e.bus(), true);
            case UNBLOCKED -> OpsMetrics.blocked(e.bus(), false);
            default -> {
                // DISCONNECTED and outages are logged by the drivers; reconnects count the recoveries.
            }
        }
    }
}

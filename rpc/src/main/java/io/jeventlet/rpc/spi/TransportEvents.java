package io.jeventlet.rpc.spi;

import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one channel for bus-level events of a transport: drivers emit, and
 * listeners — the process-wide ones and this transport's own — receive.
 * Nothing cross-cutting (metrics, alerts) is wired into a driver by hand;
 * a driver only calls {@link #emit} (or a shorthand such as
 * {@link #dropped}) on the instance its {@link DriverContext#events()} gives
 * it, and a subscriber calls {@link #subscribeAll} once.
 *
 * <pre>{@code
 * // a driver
 * context.events().dropped("no_fanout_receiver", "fanout to topic 'l3' reached no server");
 * // a metrics module, once per process
 * TransportEvents.Subscription s = TransportEvents.subscribeAll(e -> {
 *     if (e.kind() == TransportEvent.Kind.DROPPED) counter(e.bus(), e.reason()).increment();
 * });
 * }</pre>
 *
 * <p>Thread-safe: emitting and subscribing from any thread at once.
 * Listeners run synchronously on the emitting thread, process-wide ones
 * first, each in the order subscribed (see {@link TransportListener} for
 * what they may do). With no listener an emit costs two reads of an empty
 * list.
 */
public final class TransportEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TransportEvents.class);
    private static final CopyOnWriteArrayList<TransportListener> GLOBAL = new CopyOnWriteArrayList<>();

    private final String bus;
    private final String transport;
    private final CopyOnWriteArrayList<TransportListener> own = new CopyOnWriteArrayList<>();

    /** A subscription; closing it stops the deliveries to its listener. Idempotent. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The events of one transport.
     *
     * @param bus       its URL scheme
     * @param transport its URL, passwords masked (or what the emitting part is)
     */
    public TransportEvents(String bus, String transport) {
        this.bus = bus;
        this.transport = transport;
    }

    /** {@code listener} receives the events of every transport of this process, until the subscription is closed. */
    public static Subscription subscribeAll(TransportListener listener) {
        return add(GLOBAL, listener);
    }

    /** {@code listener} receives this transport's events, until the subscription is closed. */
    public Subscription subscribe(TransportListener listener) {
        return add(own, listener);
    }

    private static Subscription add(CopyOnWriteArrayList<TransportListener> list, TransportListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        // A wrapper per subscription, so one listener subscribed twice is removed once per close.
        TransportListener entry = listener::onEvent;
        list.add(entry);
        return () -> list.remove(entry);
    }

    /** The bus (URL scheme) of the events emitted here. */
    public String bus() {
        return bus;
    }

    /** Emits one event of {@code kind}; {@code reason}/{@code detail} null are taken as {@code ""}. */
    public void emit(TransportEvent.Kind kind, String reason, String detail) {
        if (GLOBAL.isEmpty() && own.isEmpty()) {
            return;
        }
        TransportEvent event = new TransportEvent(bus, transport, kind, reason == null ? "" : reason,
                detail == null ? "" : detail);
        deliver(GLOBAL, event);
        deliver(own, event);
    }

    /** One message dropped for {@code reason} (a stable lower-case label). */
    public void dropped(String reason, String detail) {
        emit(TransportEvent.Kind.DROPPED, reason, detail);
    }

    /** A connection to the bus is back after a loss. */
    public void reconnected(String detail) {
        emit(TransportEvent.Kind.RECONNECTED, "", detail);
    }

    private static void deliver(CopyOnWriteArrayList<TransportListener> list, TransportEvent event) {
        for (TransportListener l : list) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("a transport event listener failed on {}: {}", event, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "TransportEvents(" + transport + ")";
    }
}

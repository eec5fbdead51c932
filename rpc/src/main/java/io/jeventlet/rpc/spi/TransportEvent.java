package io.jeventlet.rpc.spi;

import java.util.Objects;

/**
 * Something that happened on a bus, not to one call: a reconnect, a dropped
 * message, broker flow control, an outage. Drivers (and the transport's own
 * reply and request handling) emit these through {@link TransportEvents};
 * a metrics or monitoring module receives them through a
 * {@link TransportListener}. Immutable.
 *
 * @param bus       the URL scheme: {@code "inproc"}, {@code "zmq"}, {@code "rabbit"}
 * @param transport the transport's URL with passwords shown as {@code ****}
 *                  (or, for a standalone part such as a zmq proxy, what it is)
 * @param kind      what happened
 * @param reason    for {@link Kind#DROPPED}, a short, stable, lower-case label
 *                  fit for a metric label (see {@link Kind#DROPPED}); for the
 *                  other kinds a short label too, or {@code ""}
 * @param detail    a human-readable line for logs (may be {@code ""})
 */
public record TransportEvent(String bus, String transport, Kind kind, String reason, String detail) {

    /** What happened; each kind says which module emits it. */
    public enum Kind {
        /** A connection to the bus was established again after it was lost (metric: reconnects). */
        RECONNECTED,
        /** A connection to the bus was lost; {@code reason} says why when known. */
        DISCONNECTED,
        /**
         * One message was dropped without being delivered or answered;
         * {@code reason} is its label. Labels in use: {@code no_fanout_receiver},
         * {@code invalid_request}, {@code duplicate_request}, {@code invalid_reply},
         * {@code unknown_reply}, {@code oversized}, and the zmq driver's and
         * proxy's reasons ({@code docs/RPC.md} lists them).
         */
        DROPPED,
        /** The broker stopped accepting publishes (RabbitMQ's connection.blocked); {@code reason} is the broker's. */
        BLOCKED,
        /** The broker accepts publishes again. */
        UNBLOCKED,
        /** No broker or proxy of the transport is reachable; logged once per outage. */
        OUTAGE_STARTED,
        /** The outage ended: a broker or proxy is reachable again. */
        OUTAGE_ENDED
    }

    /** @throws NullPointerException for a null component ({@code reason} and {@code detail} may be empty, not null) */
    public TransportEvent {
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}

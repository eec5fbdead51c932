package io.jeventlet.rpc.spi;

import io.jeventlet.conf.ConfigOpts;

/**
 * What a driver is given when it is opened. Immutable.
 *
 * @param conf    the effective configuration: the {@code rpc} group (read it
 *                with {@link TransportOpts}) and the driver's own group (never null)
 * @param replies where the driver delivers replies to this transport's calls
 * @param events  where the driver emits bus-level events (reconnects, drops,
 *                flow control, outages); see {@link TransportEvents}
 */
public record DriverContext(ConfigOpts conf, ReplyHandler replies, TransportEvents events) {

    /** A context whose events go to the process-wide listeners only, labelled with bus {@code "unknown"}. */
    public DriverContext(ConfigOpts conf, ReplyHandler replies) {
        this(conf, replies, new TransportEvents("unknown", "unknown"));
    }
}

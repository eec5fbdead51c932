package io.jeventlet.rpc.spi;

import io.jeventlet.conf.ConfigOpts;

/**
 * What a driver is given when it is opened.
 *
 * @param conf    the effective configuration: the {@code rpc} group and the
 *                driver's own group (never null)
 * @param replies where the driver delivers replies to this transport's calls
 */
public record DriverContext(ConfigOpts conf, ReplyHandler replies) {
}

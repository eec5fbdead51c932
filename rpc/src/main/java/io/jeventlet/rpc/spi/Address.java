package io.jeventlet.rpc.spi;

import java.util.Objects;

/**
 * Where a driver sends a request or what a listener consumes: the bus-level
 * part of an RPC target (the API layer's {@code Target} without namespace
 * and version, with the exchange already resolved). Immutable.
 *
 * @param exchange the exchange; null only when a driver is used without a
 *                 transport (it then takes {@code rpc.control_exchange})
 * @param topic    the topic (never null)
 * @param server   the server name, or null for any server of the topic
 * @param fanout   true to reach every server of the topic
 */
public record Address(String exchange, String topic, String server, boolean fanout) {

    /** @throws NullPointerException when {@code topic} is null */
    public Address {
        Objects.requireNonNull(topic, "topic");
    }

    /** The address of {@code topic}, exchange unset (the driver uses {@code rpc.control_exchange}), any server. */
    public Address(String topic) {
        this(null, topic, null, false);
    }

    /** The address of {@code topic} on {@code exchange}, any server, not fanout. */
    public static Address of(String exchange, String topic) {
        return new Address(exchange, topic, null, false);
    }

    /** This address directed at {@code server}. */
    public Address withServer(String server) {
        return new Address(exchange, topic, server, fanout);
    }

    /** This address with {@code fanout} set. */
    public Address withFanout(boolean fanout) {
        return new Address(exchange, topic, server, fanout);
    }

    /** This address on another exchange. */
    public Address withExchange(String exchange) {
        return new Address(exchange, topic, server, fanout);
    }
}

package io.jeventlet.rpc.spi;

/**
 * One open connection to a bus: oslo's {@code BaseDriver}. Thread-safe (see
 * the package comment); may block only cooperatively.
 *
 * <p>Lifecycle: {@code open -> (send | listen)* -> close}; after
 * {@link #close()} every call throws {@link DriverException}
 * and every call awaiting a reply has been ended through
 * {@link ReplyHandler#onUndeliverable}.
 */
public interface Driver extends AutoCloseable {

    /**
     * The address replies to this driver's calls are sent to: the value of a
     * request's {@code _reply_q}.
     */
    String replyAddress();

    /**
     * Sends a request to {@code address} (topic, optional server, fanout; the
     * exchange already resolved). Returns once the bus has it (a broker's
     * confirm where the bus gives one). A reply to a call arrives later at
     * the {@link ReplyHandler}.
     *
     * @throws DeliveryException when the driver knows at once that no server
     *         can get it (it may instead report that later through
     *         {@link ReplyHandler#onUndeliverable})
     * @throws DriverTimeoutException when the bus did not confirm in time
     * @throws DriverException when the bus cannot be reached
     */
    void send(Address address, OutgoingMessage message);

    /**
     * Starts consuming for a server of {@code address} (topic and server set)
     * and returns once a request sent after this returns will reach
     * {@code handler}. While the bus is unreachable it retries with back-off
     * and does not return (a {@code Timeout} around it bounds the wait).
     */
    Listener listen(Address address, IncomingHandler handler);

    /** Closes every socket, channel and thread of this driver. Idempotent. */
    @Override
    void close();
}

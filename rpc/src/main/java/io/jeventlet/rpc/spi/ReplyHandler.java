package io.jeventlet.rpc.spi;

/**
 * Where a driver delivers what comes back for this transport's calls. Called
 * from any thread; returns at once.
 */
public interface ReplyHandler {

    /** A reply or heartbeat body (an encoded envelope) arrived; its {@code _msg_id} says for which call. */
    void onReply(byte[] body);

    /**
     * The call {@code msgId} can never be answered (no route, the connection
     * it went out on was lost ...): its caller ends at once with {@code error}
     * (typically a {@link DeliveryException}; the transport raises it to the
     * caller as the API's matching {@code MessagingException}).
     */
    void onUndeliverable(String msgId, DriverException error);
}

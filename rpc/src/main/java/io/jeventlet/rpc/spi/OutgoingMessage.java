package io.jeventlet.rpc.spi;

/**
 * A request on its way out.
 *
 * @param body           the encoded envelope (oslo's {@code {"oslo.version", "oslo.message"}} JSON, UTF-8)
 * @param msgId          the call's {@code _msg_id}; null for a cast
 * @param timeoutSeconds for a call, how long the caller waits (a driver may
 *                       use it as the message's expiration); for a cast, 0
 */
public record OutgoingMessage(byte[] body, String msgId, double timeoutSeconds) {

    /** True for a call (a reply is awaited). */
    public boolean isCall() {
        return msgId != null;
    }
}

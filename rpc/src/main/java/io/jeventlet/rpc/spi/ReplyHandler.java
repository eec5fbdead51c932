package io.jeventlet.rpc.spi;

/**
 * Where a driver delivers what comes back for this transport's calls. Called
 * from any thread; returns at once.
 *
 * <p>The transport decodes each reply body exactly once, under the
 * {@code rpc.max_message_size} and {@code rpc.max_message_depth} limits, and
 * tells the driver what it found ({@link Received}); a driver that tracks its
 * calls in flight uses that instead of parsing the body itself.
 */
public interface ReplyHandler {

    /** What the transport read from a reply: which call it is for, and whether it ends that call. */
    record Received(String msgId, boolean ending) {
    }

    /**
     * A reply or heartbeat body (an encoded envelope) arrived; its
     * {@code _msg_id} says for which call.
     *
     * @return the call it is for and whether it is the final reply (a reply
     *         refused as too large or malformed, whose call could be found,
     *         ends that call with an error and counts as final); null when no
     *         call could be told from it
     */
    Received onReply(byte[] body);

    /**
     * A reply body that the transport's framing says is for the call
     * {@code msgId} (ZeroMQ's REPLY frame). Decoded as by {@link #onReply},
     * then {@code admit} is asked with the envelope's {@code _msg_id} and
     * {@code ending}; the reply reaches its call only when {@code admit}
     * says yes, so a driver checks and counts in one decode what the
     * envelope names. A body that cannot be decoded ends the call
     * {@code msgId} with the reason (the framing's id wins), again only when
     * {@code admit} says yes to {@code Received(msgId, true)}.
     *
     * @return what was read (null msgId when the envelope names none)
     */
    Received onReplyFor(String msgId, byte[] body, java.util.function.Predicate<Received> admit);

    /**
     * The call {@code msgId} can never be answered (no route, the connection
     * it went out on was lost ...): its caller ends at once with {@code error}
     * (typically a {@link DeliveryException}; the transport raises it to the
     * caller as the API's matching {@code MessagingException}).
     */
    void onUndeliverable(String msgId, DriverException error);
}

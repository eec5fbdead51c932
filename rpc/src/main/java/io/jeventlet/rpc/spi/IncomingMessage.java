package io.jeventlet.rpc.spi;

/**
 * A request received by a {@link Listener}: oslo's {@code IncomingMessage}.
 * Thread-safe: {@link #reply} and {@link #acknowledge} may be called from any
 * hub's green thread, once each at most ({@link #reply} more than once for
 * heartbeats).
 */
public interface IncomingMessage {

    /** The encoded envelope as received. */
    byte[] body();

    /**
     * Sends {@code body} (an encoded reply envelope) to {@code replyAddress}
     * (the request's {@code _reply_q}). Never throws for a caller gone
     * away: the reply is dropped and logged.
     */
    void reply(String replyAddress, byte[] body);

    /**
     * {@link #reply(String, byte[])} of a body whose envelope's
     * {@code ending} is {@code ending}: a driver that frames it (ZeroMQ's
     * REPLY) need not read the body back to learn it.
     */
    default void reply(String replyAddress, byte[] body, boolean ending) {
        reply(replyAddress, body);
    }

    /**
     * The server has taken the message for good (it is being run, or was
     * rejected as malformed or duplicate): a broker may forget it. Buses
     * without acknowledgements do nothing.
     */
    void acknowledge();

    /**
     * The server gives the message back without running it (it is stopping):
     * a broker redelivers it to another consumer. Buses without
     * acknowledgements drop it (at most once).
     */
    void requeue();
}

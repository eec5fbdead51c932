package io.jeventlet.rpc.spi;

/**
 * A server's consumption of its target: the topic (shared with the topic's
 * other servers), {@code topic.server} and the topic's fanout. Thread-safe.
 */
public interface Listener extends AutoCloseable {

    /** Stops taking new messages; messages already handed over stay the server's. Idempotent. */
    void stop();

    /** Stops and releases everything the listener holds. Idempotent. */
    @Override
    void close();
}

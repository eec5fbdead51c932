package io.jeventlet.rpc.spi;

/**
 * The part of an {@link IncomingMessage} every driver shares: the encoded envelope as received, kept as given and
 * never changed. Thread-safe (the body is final); subclasses add how to reply, acknowledge and requeue on their bus.
 */
public abstract class AbstractIncomingMessage implements IncomingMessage {
    private final byte[] body;

    /** A message whose {@link #body()} is {@code body} (not copied: the driver hands it over). */
    protected AbstractIncomingMessage(byte[] body) {
        this.body = body;
    }

    @Override
    public final byte[] body() {
        return body;
    }
}

package io.jeventlet.rpc.spi;

/**
 * Thread-safe (the body is final). The part of an {@link IncomingMessage} the drivers share: the encoded envelope
 * as received, kept as given; subclasses add how to reply, acknowledge and requeue on their bus.
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

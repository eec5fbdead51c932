package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.AbstractIncomingMessage;

/**
 * A request a proxy routed to this driver. Thread-safe. ZeroMQ has no
 * acknowledgements: {@link #acknowledge()} does nothing and
 * {@link #requeue()} drops the request (casts are at most once; a call's
 * caller then ends in its timeout).
 */
final class ZmqIncomingMessage extends AbstractIncomingMessage {
    private final ZmqDriver driver;
    private final ProxyLink origin;
    private final String msgId;

    ZmqIncomingMessage(ZmqDriver driver, ProxyLink origin, String msgId, byte[] body) {
        super(body);
        this.driver = driver;
        this.origin = origin;
        this.msgId = msgId;
    }

    @Override
    public void reply(String replyAddress, byte[] replyBody) {
        driver.reply(origin, msgId, replyAddress, replyBody);
    }

    @Override
    public void acknowledge() {
        // ZeroMQ has no acknowledgements.
    }

    @Override
    public void requeue() {
        // At most once: nothing to give back to.
    }
}

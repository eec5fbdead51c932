package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.AbstractIncomingMessage;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final ZmqListener listener;
    private final AtomicBoolean taken = new AtomicBoolean();

    ZmqIncomingMessage(ZmqDriver driver, ProxyLink origin, String msgId, byte[] body, ZmqListener listener) {
        super(body);
        this.driver = driver;
        this.origin = origin;
        this.msgId = msgId;
        this.listener = listener;
    }

    private void take() {
        if (taken.compareAndSet(false, true)) {
            listener.taken();
        }
    }

    @Override
    public void reply(String replyAddress, byte[] replyBody) {
        driver.reply(origin, msgId, replyAddress, replyBody, null);
    }

    @Override
    public void reply(String replyAddress, byte[] replyBody, boolean ending) {
        driver.reply(origin, msgId, replyAddress, replyBody, ending);
    }

    @Override
    public void acknowledge() {
        // ZeroMQ has no acknowledgements; the listener's bound counts it as taken.
        take();
    }

    @Override
    public void requeue() {
        // At most once: nothing to give back to.
        take();
    }
}

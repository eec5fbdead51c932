package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server's registration of {@code (topic, server)} with the driver's
 * proxies. Thread-safe. Stopping it unregisters the pair from every proxy
 * once no other listener of the driver holds it; a request the proxy routed
 * here meanwhile is answered with an ERROR (a call) or dropped (a cast).
 */
final class ZmqListener implements Listener {
    private final ZmqDriver driver;
    private final String key;
    private final IncomingHandler handler;
    private final AtomicBoolean stopped = new AtomicBoolean();

    ZmqListener(ZmqDriver driver, String key, IncomingHandler handler) {
        this.driver = driver;
        this.key = key;
        this.handler = handler;
    }

    String key() {
        return key;
    }

    void deliver(ZmqIncomingMessage message) {
        if (!stopped.get()) {
            handler.onMessage(message);
        }
    }

    @Override
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            driver.unlisten(this);
        }
    }

    @Override
    public void close() {
        stop();
    }
}

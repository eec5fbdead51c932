package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's registration of {@code (topic, server)} with the driver's
 * proxies. Thread-safe. Stopping it unregisters the pair from every proxy
 * once no other listener of the driver holds it; a request the proxy routed
 * here meanwhile is answered with an ERROR (a call) or dropped (a cast).
 * Bounded: at most {@code rpc_zmq.queue_hwm} requests handed to the server
 * and not yet taken (acknowledged or requeued) at once; the driver refuses
 * the rest.
 */
final class ZmqListener implements Listener {
    private final ZmqDriver driver;
    private final String key;
    private final IncomingHandler handler;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger waiting = new AtomicInteger();

    ZmqListener(ZmqDriver driver, String key, IncomingHandler handler) {
        this.driver = driver;
        this.key = key;
        this.handler = handler;
    }

    String key() {
        return key;
    }

    /** Hands {@code message} to the server; false (not handed) when {@code bound} requests wait already. */
    boolean deliver(ZmqIncomingMessage message, int bound) {
        if (stopped.get()) {
            return true;
        }
        if (waiting.incrementAndGet() > bound) {
            waiting.decrementAndGet();
            return false;
        }
        handler.onMessage(message);
        return true;
    }

    /** A request handed to the server was taken (once per request). */
    void taken() {
        waiting.decrementAndGet();
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

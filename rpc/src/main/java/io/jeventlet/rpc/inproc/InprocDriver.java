package io.jeventlet.rpc.inproc;

import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.Ids;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportEvents;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One transport's connection to an {@link InprocBus}. Thread-safe. Sending
 * runs the receivers' hand-over on the sender's thread ({@link InprocBus});
 * nothing here blocks or owns a thread.
 */
final class InprocDriver implements Driver, NotificationDriver {
    private final InprocBus bus;
    private final String replyAddress = "reply_" + Ids.uuidHex();
    private final Set<InprocListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<InprocNotifications.Consumer> notificationConsumers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TransportEvents events;

    InprocDriver(InprocBus bus, DriverContext context) {
        this.bus = bus;
        this.events = context.events();
        if (context.replies() != null) {
            bus.addReplyRoute(replyAddress, context.replies());
        }
    }

    @Override
    public String replyAddress() {
        return replyAddress;
    }

    @Override
    public void send(Address target, OutgoingMessage message) {
        checkOpen();
        bus.send(target, message, replyAddress, events);
    }

    @Override
    public Listener listen(Address target, IncomingHandler handler) {
        checkOpen();
        InprocListener l = new InprocListener(bus.subscribe(target, handler));
        listeners.add(l);
        return l;
    }

    @Override
    public void sendNotification(String exchange, String routingKey, byte[] body, int retry) {
        checkOpen();
        bus.notifications.publish(exchange, routingKey, body);
    }

    @Override
    public Listener listenForNotifications(List<Binding> bindings, String pool, IncomingHandler handler) {
        checkOpen();
        InprocNotifications.Consumer c = bus.notifications.consume(bindings, pool, handler);
        notificationConsumers.add(c);
        return new Listener() {
            @Override
            public void stop() {
                c.cancel();
            }

            @Override
            public void close() {
                c.cancel();
                notificationConsumers.remove(c);
            }
        };
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new DriverException("inproc://" + bus.name + " driver is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (InprocListener l : listeners) {
                l.close();
            }
            for (InprocNotifications.Consumer c : notificationConsumers) {
                c.cancel();
            }
            bus.removeReplyRoute(replyAddress);
            bus.release();
        }
    }

    /** A server's subscription; stopping unsubscribes it at once. Thread-safe, idempotent. */
    private final class InprocListener implements Listener {
        private final InprocBus.Subscription subscription;
        private final AtomicBoolean stopped = new AtomicBoolean();

        InprocListener(InprocBus.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void stop() {
            if (stopped.compareAndSet(false, true)) {
                bus.unsubscribe(subscription);
            }
        }

        @Override
        public void close() {
            stop();
            listeners.remove(this);
        }
    }
}

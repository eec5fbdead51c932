package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver.Binding;
import java.util.ArrayList;
import java.util.List;

/**
 * Notifications over {@code zmq://}, through the proxies: at most once.
 * Thread-safe (stateless beyond its driver).
 *
 * <p>A listener registers with the proxy as a server of the topic
 * {@code notify:<exchange>:<topic>.<priority>} under its group's name
 * ({@code pool.<pool>}, or {@code nopool} for the pool-less listeners); a
 * notification is sent as {@code NOTIFY} to that topic, and the proxy hands
 * it to one registration of each group name (round robin within the group),
 * which hands it to one of its local listeners. So every pool, and the
 * pool-less group, gets every notification once, as on a broker.
 *
 * <p>Unlike a broker, nothing keeps a notification: one sent while no
 * listener of its key is registered, or lost with a proxy or a listener's
 * process, is gone (the proxy counts it as dropped); a requeue drops it too.
 * Retry: 0 sends only through a proxy connected now; N > 0 waits up to
 * {@code rpc_zmq.connect_timeout} for one; -1 waits as long as it takes.
 */
final class ZmqNotifications {
    static final String TOPIC_PREFIX = "notify:";
    static final String NO_POOL = "nopool";

    private final ZmqDriver driver;
    private final double connectTimeout;

    ZmqNotifications(ZmqDriver driver, double connectTimeout) {
        this.driver = driver;
        this.connectTimeout = connectTimeout;
    }

    static String topic(String exchange, String routingKey) {
        return TOPIC_PREFIX + exchange + ":" + routingKey;
    }

    void send(String exchange, String routingKey, byte[] body, int retry) {
        String topic = topic(exchange, routingKey);
        if (ZmqProtocol.bytes(topic).length > ZmqProtocol.MAX_NAME) {
            throw new IllegalArgumentException("zmq driver: notification topic '" + topic + "' is longer than "
                    + ZmqProtocol.MAX_NAME + " bytes");
        }
        if (body.length > driver.maxBody()) {
            throw new DeliveryException("notification to '" + routingKey + "' is " + body.length
                    + " bytes; rpc.max_message_size allows " + driver.maxBody());
        }
        double wait = retry < 0 ? Double.POSITIVE_INFINITY : retry == 0 ? 0 : connectTimeout;
        ProxyLink link = driver.awaitLink(wait);
        if (!link.enqueue(ZmqProtocol.message(ZmqProtocol.NOTIFY, "", topic, "", body))) {
            throw new DeliveryException("notification to '" + routingKey + "': the zmq link to " + link.endpoint
                    + " has rpc_zmq.queue_hwm messages queued");
        }
    }

    Listener listen(List<Binding> bindings, String pool, IncomingHandler handler) {
        String group = pool == null ? NO_POOL : "pool." + pool;
        List<Listener> parts = new ArrayList<>();
        try {
            for (Binding b : bindings) {
                parts.add(driver.listen(new Address(b.exchange(), topic(b.exchange(), b.routingKey()), group, false),
                        handler));
            }
        } catch (RuntimeException | Error e) {
            parts.forEach(Listener::close);
            throw e;
        }
        return new Listener() {
            @Override
            public void stop() {
                parts.forEach(Listener::stop);
            }

            @Override
            public void close() {
                parts.forEach(Listener::close);
            }
        };
    }
}

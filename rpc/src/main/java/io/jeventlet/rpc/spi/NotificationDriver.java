package io.jeventlet.rpc.spi;

import java.util.List;

/**
 * What a {@link Driver} implements to carry notifications: oslo's
 * {@code BaseDriver.send_notification} and {@code listen_for_notifications}.
 * A driver without it cannot carry notifications (the notifier logs and
 * counts every one as undeliverable). Thread-safe, as {@link Driver}.
 *
 * <p>Routing is oslo's (the rabbit driver's, which the others copy): a
 * notification goes to {@code exchange} under the routing key
 * {@code <topic>.<priority>}; a consumer without a pool reads the queue
 * named after each routing key, so every pool-less listener of a key shares
 * one queue; a consumer in a pool reads one queue named after the pool,
 * bound to every key it asked for. Each queue gets every notification routed
 * to it, and its consumers share them.
 */
public interface NotificationDriver {

    /** One routing key on one exchange a notification listener consumes. */
    record Binding(String exchange, String routingKey) {
        public Binding {
            if (exchange == null || exchange.isEmpty() || routingKey == null || routingKey.isEmpty()) {
                throw new IllegalArgumentException("a notification binding needs an exchange and a routing key; got "
                        + exchange + " / " + routingKey);
            }
        }
    }

    /**
     * Publishes {@code body} to {@code exchange} under {@code routingKey}
     * ({@code <topic>.<priority>}). Where the bus keeps messages, the default
     * queue named {@code routingKey} is declared first (once per
     * connection), so nothing sent before a listener starts is lost. Returns
     * once the bus has it.
     *
     * @param retry -1: wait for the bus as long as it takes; 0: fail at once
     *              when the bus is not reachable now; N: give up after N
     *              reconnect attempts' worth of waiting
     * @throws DriverException when it cannot be delivered within {@code retry}
     *         ({@link DriverTimeoutException} when the wait ran out)
     */
    void sendNotification(String exchange, String routingKey, byte[] body, int retry);

    /**
     * Starts consuming {@code bindings} and returns once a notification sent
     * after it reaches {@code handler}. {@code pool} null: each binding's own
     * queue (named as its routing key); else one queue named {@code pool}.
     * Messages are acknowledged (or requeued) through the
     * {@link IncomingMessage}; a listener closed with messages unacknowledged
     * gives them back to their queue.
     */
    Listener listenForNotifications(List<Binding> bindings, String pool, IncomingHandler handler);
}

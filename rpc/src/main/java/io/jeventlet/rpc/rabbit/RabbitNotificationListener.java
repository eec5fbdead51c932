package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver.Binding;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A notification listener's consumption, as oslo's
 * {@code listen_for_notifications} declares it: for each binding, the topic
 * exchange (control exchange flags) and a queue bound to it under the
 * binding's key ({@code <topic>.<priority>}); the queue is named after the
 * key, or after the pool when there is one (one queue bound to every key).
 * Queues take the topic queues' durability, auto-delete and arguments, so a
 * Python listener of the same pool or key shares them. All consumed on one
 * channel with a per-consumer prefetch of the listener's pool size.
 * Thread-safe.
 *
 * <p>Lifecycle:
 * <pre>
 * DECLARED -> CONSUMING  // declare() on the I/O thread, at listen() and after every reconnect
 * CONSUMING -> STOPPED   // stop(): consumers cancelled off the I/O thread, cancel-ok awaited; nothing more
 *                        //         is delivered (ChannelConsumers, shared with RabbitListener)
 * any -> CLOSED          // close(): channel closed: whatever is unacknowledged goes back to its queue
 * </pre>
 * The queues are never deleted: they are shared, and keep notifications
 * for the listener's successors (oslo leaves them too).
 */
final class RabbitNotificationListener implements Listener, BrokerConnection.Declarable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitNotificationListener.class);

    private final RabbitDriver driver;
    private final List<Binding> bindings;
    private final String pool;
    private final int prefetch;
    private final IncomingHandler handler;
    private final OsloTopology topology;
    private final ChannelConsumers consumers;
    /** Settlements waiting for the I/O thread, and whether a task to send them is queued. */
    private final ConcurrentLinkedQueue<Settlement> settlements = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean settling = new AtomicBoolean();

    RabbitNotificationListener(RabbitDriver driver, List<Binding> bindings, String pool, int prefetch,
                               IncomingHandler handler, OsloTopology topology) {
        this.driver = driver;
        this.bindings = bindings;
        this.pool = pool;
        this.prefetch = prefetch;
        this.handler = handler;
        this.topology = topology;
        this.consumers = new ChannelConsumers(driver.io(), this);
    }

    /** The queue {@code b} is consumed from: the pool's, else the key's own. */
    private String queueOf(Binding b) {
        return pool != null ? pool : b.routingKey();
    }

    @Override
    public void declare(Connection connection) throws IOException {
        if (consumers.stopped()) {
            return;
        }
        ChannelConsumers.Round round = consumers.begin(connection, prefetch);
        Channel ch = round.channel();
        try {
            boolean durable = topology.durable();
            boolean autoDelete = topology.autoDelete();
            Set<String> queues = new LinkedHashSet<>();
            Set<String> exchanges = new LinkedHashSet<>();
            for (Binding b : bindings) {
                if (exchanges.add(b.exchange())) {
                    ch.exchangeDeclare(b.exchange(), "topic", durable, autoDelete, null);
                }
                String q = queueOf(b);
                if (queues.add(q)) {
                    ch.queueDeclare(q, durable, false, autoDelete, topology.topicQueueArguments());
                }
                ch.queueBind(q, b.exchange(), b.routingKey());
            }
            for (String q : queues) {
                round.consume(q, null, (c, env, props, body) ->
                        handler.onMessage(
                        new RabbitIncomingMessage(driver, c, env.getDeliveryTag(), body, this::settle)));
            }
            round.commit();
        } catch (IOException | RuntimeException e) {
            round.abandon();
            throw e;
        }
    }

    /** A settlement waiting for the I/O thread. */
    private record Settlement(Channel channel, long tag, boolean ack) {
    }

    /**
     * Queues a notification's settlement; one I/O task settles everything
     * queued by then, so a busy listener's acknowledgements cost one hand-off
     * to the I/O thread per batch, not per notification.
     */
    private void settle(Channel channel, long tag, boolean ack) {
        settlements.add(new Settlement(channel, tag, ack));
        if (settling.compareAndSet(false, true)) {
            driver.io().submit(new BrokerConnection.IoTask() {
                @Override
                public void run(BrokerConnection io) throws IOException {
                    settling.set(false);
                    Settlement n;
                    while ((n = settlements.poll()) != null) {
                        RabbitIncomingMessage.settleNow(n.channel(), n.tag(), n.ack());
                    }
                }

                @Override
                public void fail(Throwable error) {
                    settling.set(false);
                    settlements.clear();
                    LOG.debug("notification settlements not sent: {}", error.toString());
                }
            });
        }
    }

    @Override
    public void stop() {
        consumers.stop();
    }

    @Override
    public void close() {
        // Unacknowledged deliveries go back to their queues when the channel closes; the queues stay.
        consumers.close(ch -> { });
    }

    @Override
    public String toString() {
        return "RabbitNotificationListener(" + bindings + (pool != null ? ", pool " + pool : "") + ")";
    }
}

package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jeventlet.rpc.spi.AbstractIncomingMessage;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver.Binding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * CONSUMING -> STOPPED   // stop(): consumers cancelled, cancel-ok awaited; nothing more is delivered
 * any -> CLOSED          // close(): channel closed: whatever is unacknowledged goes back to its queue
 * </pre>
 * The queues are never deleted: they are shared, and keep notifications
 * for the listener's successors (oslo leaves them too).
 */
final class RabbitNotificationListener implements Listener, BrokerConnection.Declarable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitNotificationListener.class);
    private static final long STOP_WAIT_MS = 5_000;

    private final RabbitDriver driver;
    private final List<Binding> bindings;
    private final String pool;
    private final int prefetch;
    private final IncomingHandler handler;
    private final OsloTopology topology;

    private volatile Channel channel;
    private volatile List<Delivery> consumers = List.of();
    private volatile boolean stopped;
    private volatile boolean closed;
    /** Settlements waiting for the I/O thread, and whether a task to send them is queued. */
    private final ConcurrentLinkedQueue<Notification> settlements = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean settling = new AtomicBoolean();

    RabbitNotificationListener(RabbitDriver driver, List<Binding> bindings, String pool, int prefetch,
                               IncomingHandler handler, OsloTopology topology) {
        this.driver = driver;
        this.bindings = bindings;
        this.pool = pool;
        this.prefetch = prefetch;
        this.handler = handler;
        this.topology = topology;
    }

    /** The queue {@code b} is consumed from: the pool's, else the key's own. */
    private String queueOf(Binding b) {
        return pool != null ? pool : b.routingKey();
    }

    @Override
    public void declare(Connection connection) throws IOException {
        if (stopped) {
            return;
        }
        Channel ch = connection.createChannel();
        try {
            ch.basicQos(prefetch, false);
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
            List<Delivery> list = new ArrayList<>();
            for (String q : queues) {
                Delivery d = new Delivery(ch, q);
                d.tag = ch.basicConsume(q, false, d);
                list.add(d);
            }
            channel = ch;
            consumers = list;
            ch.addShutdownListener(cause -> {
                if (!cause.isHardError() && !cause.isInitiatedByApplication() && !stopped) {
                    LOG.warn("the channel of notification listener {} was closed by the broker ({}); declaring again",
                            this, cause.getMessage());
                    redeclare();
                }
            });
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** amqp-client's consumer of one queue: hands notifications to the core. */
    private final class Delivery extends DefaultConsumer {
        private final String queue;
        final CountDownLatch cancelled = new CountDownLatch(1);
        volatile String tag;

        Delivery(Channel ch, String queue) {
            super(ch);
            this.queue = queue;
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
            handler.onMessage(new Notification(getChannel(), env.getDeliveryTag(), body));
        }

        @Override
        public void handleCancelOk(String consumerTag) {
            cancelled.countDown();
        }

        @Override
        public void handleCancel(String consumerTag) {
            LOG.warn("notification queue '{}' was deleted on the broker; declaring it again", queue);
            cancelled.countDown();
            redeclare();
        }
    }

    /**
     * A delivered notification. Acknowledging or requeueing queues the
     * settlement; one I/O task settles everything queued by then, so a busy
     * listener's acknowledgements cost one hand-off to the I/O thread per
     * batch, not per notification. A settlement whose channel closed meanwhile
     * is skipped: the broker has put the message back already.
     */
    private final class Notification extends AbstractIncomingMessage {
        final Channel channel;
        final long tag;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile boolean ack;

        Notification(Channel channel, long tag, byte[] body) {
            super(body);
            this.channel = channel;
            this.tag = tag;
        }

        @Override
        public void reply(String replyAddress, byte[] replyBody) {
            LOG.debug("a notification is never replied to; dropped");
        }

        @Override
        public void acknowledge() {
            settle(true);
        }

        @Override
        public void requeue() {
            settle(false);
        }

        private void settle(boolean acknowledge) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            ack = acknowledge;
            settlements.add(this);
            if (settling.compareAndSet(false, true)) {
                driver.io().submit(new BrokerConnection.IoTask() {
                    @Override
                    public void run(BrokerConnection io) throws IOException {
                        settling.set(false);
                        Notification n;
                        while ((n = settlements.poll()) != null) {
                            if (!n.channel.isOpen()) {
                                continue;
                            }
                            if (n.ack) {
                                n.channel.basicAck(n.tag, false);
                            } else {
                                n.channel.basicReject(n.tag, true);
                            }
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
    }

    private void redeclare() {
        driver.io().submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection io) throws IOException {
                if (!stopped && io.connection() != null && io.connection().isOpen()) {
                    closeQuietly(channel);
                    declare(io.connection());
                }
            }

            @Override
            public void fail(Throwable error) {
                LOG.error("could not re-declare the queues of notification listener {}: {}",
                        RabbitNotificationListener.this, error.toString());
            }
        });
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        driver.io().unregister(this);
        Completion done = new Completion();
        driver.io().submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection io) throws IOException {
                Channel ch = channel;
                if (ch == null || !ch.isOpen()) {
                    done.succeed();
                    return;
                }
                for (Delivery d : consumers) {
                    ch.basicCancel(d.tag);
                }
                // cancel-ok is dispatched after the deliveries that preceded it.
                try {
                    for (Delivery d : consumers) {
                        d.cancelled.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.succeed();
            }

            @Override
            public void fail(Throwable error) {
                done.succeed();
            }
        });
        try {
            if (!done.await(STOP_WAIT_MS / 1000.0)) {
                LOG.warn("notification listener {}: the broker did not confirm the cancels within {} ms", this,
                        STOP_WAIT_MS);
            }
        } catch (IllegalStateException e) {
            LOG.debug("stop() of {} does not wait for the cancels: {}", this, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        Completion done = new Completion();
        driver.io().submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection io) {
                // Unacknowledged deliveries go back to their queues when the channel closes.
                closeQuietly(channel);
                done.succeed();
            }

            @Override
            public void fail(Throwable error) {
                closeQuietly(channel);
                done.succeed();
            }
        });
        try {
            done.await(STOP_WAIT_MS / 1000.0);
        } catch (IllegalStateException e) {
            LOG.debug("close() of {} does not wait for the channel to close: {}", this, e.getMessage());
        }
    }

    private static void closeQuietly(Channel ch) {
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                LOG.debug("closing a channel: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "RabbitNotificationListener(" + bindings + (pool != null ? ", pool " + pool : "") + ")";
    }
}

package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's consumption of its target, as oslo's {@code listen}: the
 * {@code <topic>} and {@code <topic>.<server>} queues bound to the target's
 * exchange, and its own {@code <topic>_fanout_<uuid>} queue bound to the
 * topic's fanout exchange, all consumed on one channel, each consumer with a
 * prefetch of the server's pool size (per consumer, as oslo's). Thread-safe.
 *
 * <p>Lifecycle:
 * <pre>
 * DECLARED -> CONSUMING  // declare() on the I/O thread, at listen() and after every reconnect
 * CONSUMING -> STOPPED   // stop(): consumers cancelled; deliveries already handed over stay the server's
 * any -> CLOSED          // close(): channel closed (unacknowledged requests go back to their queue),
 *                        //          fanout queue deleted
 * </pre>
 *
 * <p>Overview: a delivery is handed to the core's {@link IncomingHandler}
 * on amqp-client's consumer thread, which the handler does not block (it
 * hands the message to its hub). {@link #stop()} waits for the broker's
 * {@code cancel-ok} as amqp-client dispatches it, after every delivery that
 * preceded it, so no request reaches the handler after stop returns.
 */
final class RabbitListener implements Listener, BrokerConnection.Declarable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitListener.class);
    /** How long stop() waits for the broker to confirm the cancels (they are quick; the broker may be gone). */
    private static final long STOP_WAIT_MS = 5_000;

    private final RabbitDriver driver;
    private final Address target;
    private final String exchange;
    private final String fanoutQueue;
    private final int prefetch;
    private final IncomingHandler handler;
    private final OsloTopology topology;

    // Written on the I/O thread, read by stop()/close() tasks on it.
    private volatile Channel channel;
    private volatile List<Delivery> consumers = List.of();
    private volatile boolean stopped;
    private volatile boolean closed;
    /** The stream offset to consume the fanout stream from after a reconnect ("last" at first, as oslo). */
    private volatile Object nextStreamOffset = "last";

    RabbitListener(RabbitDriver driver, Address target, String exchange, int prefetch, IncomingHandler handler,
                   OsloTopology topology) {
        this.driver = driver;
        this.target = target;
        this.exchange = exchange;
        this.fanoutQueue = topology.fanoutQueue(target.topic());
        this.prefetch = prefetch;
        this.handler = handler;
        this.topology = topology;
    }

    @Override
    public void declare(Connection connection) throws IOException {
        if (stopped) {
            return;
        }
        closeQuietly(channel);
        Channel ch = connection.createChannel();
        try {
            // Per consumer, as kombu sets it: quorum queues refuse a channel-wide (global) limit. 0: none, as oslo.
            if (prefetch > 0) {
                ch.basicQos(prefetch, false);
            }
            String topic = target.topic();
            String direct = topic + "." + target.server();
            boolean durable = topology.durable();
            boolean autoDelete = topology.autoDelete();
            ch.exchangeDeclare(exchange, "topic", durable, autoDelete, null);
            ch.queueDeclare(topic, durable, false, autoDelete, topology.topicQueueArguments());
            ch.queueBind(topic, exchange, topic);
            ch.queueDeclare(direct, durable, false, autoDelete, topology.topicQueueArguments());
            ch.queueBind(direct, exchange, direct);
            String fanout = OsloTopology.fanoutExchange(topic);
            ch.exchangeDeclare(fanout, "fanout", false, true, null);
            ch.queueDeclare(fanoutQueue, topology.fanoutDurable(), false, false, topology.fanoutQueueArguments());
            ch.queueBind(fanoutQueue, fanout, topic);
            List<Delivery> list = new ArrayList<>();
            for (String q : List.of(topic, direct, fanoutQueue)) {
                boolean stream = topology.streamFanout() && q.equals(fanoutQueue);
                Delivery d = new Delivery(ch, q, stream);
                d.tag = ch.basicConsume(q, false, "", false, false,
                        topology.consumerArguments(stream, nextStreamOffset), d);
                list.add(d);
            }
            remaining.set(list.size());
            cancelled = new Completion();
            channel = ch;
            consumers = list;
            ch.addShutdownListener(cause -> {
                // A channel error with the connection still up (the connection's own loss re-declares
                // everything): without this the server would stay deaf.
                if (!cause.isHardError() && !cause.isInitiatedByApplication() && !stopped) {
                    LOG.warn("the channel of server {}.{} was closed by the broker ({}); declaring its queues again",
                            target.topic(), target.server(), cause.getMessage());
                    driver.io().redeclare(this);
                }
            });
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** amqp-client's consumer for one queue: hands requests to the core. */
    private final class Delivery extends DefaultConsumer {
        private final String queue;
        private final boolean stream;
        volatile String tag;

        Delivery(Channel ch, String queue, boolean stream) {
            super(ch);
            this.queue = queue;
            this.stream = stream;
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
            if (stream && props.getHeaders() != null && props.getHeaders().get("x-stream-offset") instanceof Number n) {
                nextStreamOffset = n.longValue() + 1;
            }
            handler.onMessage(new RabbitIncomingMessage(driver, getChannel(), env.getDeliveryTag(), body,
                    props.getExpiration()));
        }

        @Override
        public void handleCancelOk(String consumerTag) {
            countCancel();
        }

        @Override
        public void handleCancel(String consumerTag) {
            // The broker cancelled us: the queue was deleted under the server. Declare everything again.
            LOG.warn("queue '{}' of server {}.{} was deleted on the broker; declaring it again", queue,
                    target.topic(), target.server());
            countCancel();
            if (!stopped) {
                driver.io().redeclare(RabbitListener.this);
            }
        }
    }

    /** Consumers not yet cancelled on the current channel, and the completion of their cancels. */
    private final java.util.concurrent.atomic.AtomicInteger remaining = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Completion cancelled = new Completion();

    private void countCancel() {
        if (remaining.decrementAndGet() <= 0) {
            cancelled.succeed();
        }
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        driver.io().unregister(this);
        // basic.cancel is a channel RPC: it waits for the broker's cancel-ok, which a broker that blocks the
        // connection (a resource alarm) does not send. So the cancels go out on a platform thread of their own
        // (never the I/O thread, which keeps serving the transport; never a green thread, whose kill would
        // interrupt a socket write), and the caller waits for the cancel-oks, which amqp-client dispatches after
        // the deliveries that preceded them: once all arrived, nothing more reaches the handler.
        Completion done = cancelled;
        Channel ch = channel;
        List<Delivery> list = consumers;
        if (ch == null || !ch.isOpen()) {
            done.succeed();
        } else {
            Thread.ofPlatform().daemon().name("jeventlet-rabbit-cancel").start(() -> {
                try {
                    for (Delivery d : list) {
                        ch.basicCancel(d.tag);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cancelling the consumers of {}: {}", this, e.toString());
                    done.succeed();
                }
            });
        }
        try {
            if (!done.await(STOP_WAIT_MS / 1000.0)) {
                LOG.warn("server {}.{}: the broker did not confirm the consumer cancels within {} ms", target.topic(),
                        target.server(), STOP_WAIT_MS);
            }
        } catch (IllegalStateException e) {
            // Called from a hub callback, where waiting is illegal: the cancels go on without us; the
            // server requeues any request that still arrives (it no longer accepts).
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
            public void run(BrokerConnection io) throws IOException {
                Channel ch = channel;
                if (ch != null && ch.isOpen() && topology.fanoutQueueOwned()) {
                    // Our fanout queue has no other consumer; oslo leaves it to x-expires, we free it now.
                    // A stream or a queue manager's stable name is shared or reused: left alone, as oslo.
                    ch.queueDelete(fanoutQueue);
                }
                closeQuietly(ch);
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
        return "the queues of server " + target.topic() + "." + target.server() + " (" + target.topic() + ", "
                + target.topic() + "." + target.server() + ", " + fanoutQueue + " on exchange " + exchange + ")";
    }
}

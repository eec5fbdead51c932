package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer lifecycle a listener ({@link RabbitListener},
 * {@link RabbitNotificationListener}) has on its own channel: the channel
 * replaced at every declaration, its consumers, re-declaration when the
 * broker closes the channel or deletes a consumed queue, the cancels of
 * {@link #stop()} and the channel's {@link #close}. Thread-safe; declarations
 * run on the driver's I/O thread.
 *
 * <p>Lifecycle:
 * <pre>
 * DECLARED -> CONSUMING  // begin() ... commit() on the I/O thread, at listen() and after every reconnect
 * CONSUMING -> STOPPED   // stop(): consumers cancelled; deliveries already handed over stay the owner's
 * any -> CLOSED          // close(): channel closed (unacknowledged deliveries go back to their queue)
 * </pre>
 *
 * <p>{@link #stop()} never cancels on the I/O thread: basic.cancel is a
 * channel RPC waiting for a cancel-ok, which a broker that blocks the
 * connection (a resource alarm) does not send.
 */
final class ChannelConsumers {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelConsumers.class);
    /** How long stop() and close() wait for the broker (it is quick; the broker may be gone). */
    static final long STOP_WAIT_MS = 5_000;

    /** Receives one delivery on amqp-client's reader thread ({@link DirectDispatch}); must not block. */
    interface Sink {
        void deliver(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body);
    }

    private final BrokerConnection io;
    private final BrokerConnection.Declarable owner;

    // Written on the I/O thread, read by stop()/close().
    private volatile Channel channel;
    private volatile List<Consumer> consumers = List.of();
    private volatile boolean stopped;
    private volatile boolean closed;
    /** Consumers not yet cancelled on the current channel, and the completion of their cancels. */
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Completion cancelled = new Completion();

    /** @param owner the listener re-declared (through {@code io}) when its channel or a queue is lost */
    ChannelConsumers(BrokerConnection io, BrokerConnection.Declarable owner) {
        this.io = io;
        this.owner = owner;
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * Starts a declaration on {@code connection} (I/O thread): the current
     * channel is closed and a new one opened, with a per-consumer prefetch of
     * {@code prefetch} (as kombu sets it: quorum queues refuse a global one;
     * 0: none, as oslo).
     */
    Round begin(Connection connection, int prefetch) throws IOException {
        closeQuietly(channel);
        Channel ch = connection.createChannel();
        try {
            if (prefetch > 0) {
                ch.basicQos(prefetch, false);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
        return new Round(ch);
    }

    /** One declaration's channel and consumers, current once committed. */
    final class Round {
        private final Channel ch;
        private final List<Consumer> list = new ArrayList<>();

        private Round(Channel ch) {
            this.ch = ch;
        }

        Channel channel() {
            return ch;
        }

        /** Consumes {@code queue} (manual acknowledgement) with {@code arguments}, handing deliveries to {@code sink}. */
        void consume(String queue, Map<String, Object> arguments, Sink sink) throws IOException {
            Consumer c = new Consumer(ch, queue, sink);
            c.tag = ch.basicConsume(queue, false, "", false, false, arguments, c);
            list.add(c);
        }

        /** Makes this channel and its consumers current, and watches the channel. */
        void commit() {
            remaining.set(list.size());
            cancelled = new Completion();
            channel = ch;
            consumers = List.copyOf(list);
            ch.addShutdownListener(cause -> {
                // A channel error with the connection still up (the connection's own loss re-declares
                // everything): without this the listener would stay deaf.
                if (!cause.isHardError() && !cause.isInitiatedByApplication() && !stopped) {
                    LOG.warn("the channel of {} was closed by the broker ({}); declaring its queues again", owner,
                            cause.getMessage());
                    io.redeclare(owner);
                }
            });
        }

        /** The declaration failed: its channel is closed. */
        void abandon() {
            closeQuietly(ch);
        }
    }

    /** amqp-client's consumer of one queue. */
    private final class Consumer extends DefaultConsumer {
        private final String queue;
        private final Sink sink;
        volatile String tag;

        Consumer(Channel ch, String queue, Sink sink) {
            super(ch);
            this.queue = queue;
            this.sink = sink;
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
            try {
                sink.deliver(getChannel(), env, props, body);
            } catch (RuntimeException e) {
                // Never thrown into amqp-client: this runs on the reader thread (DirectDispatch). The delivery
                // stays unacknowledged; the broker gives it back when the channel closes.
                LOG.error("a delivery from queue '{}' of {} could not be handed over: {}", queue, owner, e.toString(), e);
            }
        }

        @Override
        public void handleCancelOk(String consumerTag) {
            countCancel();
        }

        @Override
        public void handleCancel(String consumerTag) {
            // The broker cancelled us: the queue was deleted under the listener. Declare everything again.
            LOG.warn("queue '{}' of {} was deleted on the broker; declaring it again", queue, owner);
            countCancel();
            if (!stopped) {
                io.redeclare(owner);
            }
        }
    }

    private void countCancel() {
        if (remaining.decrementAndGet() <= 0) {
            cancelled.succeed();
        }
    }

    /**
     * Cancels the consumers and waits (up to {@link #STOP_WAIT_MS}) for the
     * cancel-oks, which amqp-client dispatches after the deliveries that
     * preceded them: once all arrived, nothing more reaches the sinks. From a
     * hub callback, where waiting is illegal, it returns at once.
     */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        io.unregister(owner);
        // The cancels go out on a platform thread of their own: never the I/O thread, which keeps serving the
        // transport; never a green thread, whose kill would interrupt a socket write.
        Completion done = cancelled;
        Channel ch = channel;
        List<Consumer> list = consumers;
        if (ch == null || !ch.isOpen()) {
            done.succeed();
        } else {
            Thread.ofPlatform().daemon().name("jeventlet-rabbit-cancel").start(() -> {
                try {
                    for (Consumer c : list) {
                        ch.basicCancel(c.tag);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cancelling the consumers of {}: {}", owner, e.toString());
                    done.succeed();
                }
            });
        }
        try {
            if (!done.await(STOP_WAIT_MS / 1000.0)) {
                LOG.warn("{}: the broker did not confirm the consumer cancels within {} ms", owner, STOP_WAIT_MS);
            }
        } catch (IllegalStateException e) {
            // The cancels go on without us; the owner requeues anything that still arrives.
            LOG.debug("stop() of {} does not wait for the cancels: {}", owner, e.getMessage());
        }
    }

    /** What close() does on the channel before closing it (I/O thread). */
    interface LastWords {
        void on(Channel channel) throws IOException;
    }

    /** Stops, then closes the channel on the I/O thread after {@code last} (waits as stop()). */
    void close(LastWords last) {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        Completion done = new Completion();
        io.submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                Channel ch = channel;
                try {
                    if (ch != null && ch.isOpen()) {
                        last.on(ch);
                    }
                } finally {
                    closeQuietly(ch);
                    done.succeed();
                }
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
            LOG.debug("close() of {} does not wait for the channel to close: {}", owner, e.getMessage());
        }
    }

    static void closeQuietly(Channel ch) {
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                LOG.debug("closing a channel: {}", e.toString());
            }
        }
    }
}

package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.DriverTimeoutException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

/**
 * A channel in publisher-confirm mode and the publishes it has not had
 * confirmed yet. Publishing is confined to the driver's I/O thread;
 * confirms, returns and the channel's shutdown arrive on amqp-client's
 * reader thread, so the pending table is concurrent.
 *
 * <p>Overview: requests to a topic and replies are published
 * {@code mandatory} (fanout casts are not: like oslo, a fanout to no server
 * is dropped by its exchange). RabbitMQ sends
 * {@code basic.return} for an unroutable message before its
 * {@code basic.ack}, on the same channel, and amqp-client calls the return
 * and confirm listeners in frame order on one thread; so when the ack
 * completes a {@link Pending}, {@code returned} is already set if the message
 * reached no queue. A return carries the message's properties, not its
 * sequence number: each publish's {@code message_id} property is its
 * sequence number, which oslo.messaging ignores. A channel that closes fails
 * everything still pending with a {@link Retryable} failure: the broker will
 * never confirm it, and a sender may publish it again on the next channel.
 * A nack marks the channel {@link #broken()}: as oslo, the connection drops
 * it and opens a new one after {@code kombu_reconnect_delay} (a quorum
 * queue's leader election can leave a channel that nacks for good).
 *
 * <p>At most {@code maxPending} publishes await their confirm: the next
 * publish waits on the I/O thread until the broker confirmed some, or its
 * sender gave up.
 */
final class Publisher {
    /** A failure after which publishing the same message again may succeed (lost channel, nack). */
    static final class Retryable extends DeliveryException {
        Retryable(String message) {
            super(message);
        }
    }

    /** What happens to a reply, which nobody awaits. Called on amqp-client's reader thread. */
    interface ReplyOutcome {
        /** The broker confirmed it; {@code returned}: no queue took it (its reply queue is missing). */
        void settled(boolean returned, boolean ack);

        /** Its channel closed before the broker confirmed it. */
        void lost(String why);
    }

    /** One unconfirmed publish: {@code done} for sends, {@code reply} for replies. */
    private static final class Pending {
        final Completion done;
        final ReplyOutcome reply;
        final String exchange;
        final String routingKey;
        volatile boolean returned;

        Pending(Completion done, ReplyOutcome reply, String exchange, String routingKey) {
            this.done = done;
            this.reply = reply;
            this.exchange = exchange;
            this.routingKey = routingKey;
        }
    }

    private final Channel channel;
    private final int maxPending;
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private volatile boolean broken;

    Publisher(Channel channel, int maxPending) throws IOException {
        this.channel = channel;
        this.maxPending = maxPending;
        channel.confirmSelect();
        channel.addReturnListener(r -> {
            Long seq = parse(r.getProperties().getMessageId());
            Pending p = seq == null ? null : pending.get(seq);
            if (p != null) {
                p.returned = true;
            }
        });
        channel.addConfirmListener((seq, multiple) -> confirm(seq, multiple, true),
                (seq, multiple) -> confirm(seq, multiple, false));
        channel.addShutdownListener(cause -> failAll("the publishing channel closed before the broker confirmed"
                + " the message: " + cause.getMessage()));
    }

    Channel channel() {
        return channel;
    }

    boolean open() {
        return channel.isOpen();
    }

    /** True after a nack or a publish error: the connection replaces this channel. */
    boolean broken() {
        return broken;
    }

    int pendingCount() {
        return pending.size();
    }

    /**
     * Publishes {@code body}; {@code done} (a send) or {@code reply} is told
     * the broker's verdict; a {@code mandatory} publish no queue took fails
     * {@code done} with a {@link DeliveryException}. Waits while
     * {@code maxPending} publishes await their confirm, until
     * {@code giveUp} says the sender stopped waiting.
     */
    void publish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props, byte[] body,
                 Completion done, ReplyOutcome reply, BooleanSupplier giveUp) throws IOException {
        awaitRoom(giveUp);
        long seq = channel.getNextPublishSeqNo();
        pending.put(seq, new Pending(done, reply, exchange, routingKey));
        AMQP.BasicProperties withId = props.builder().messageId(Long.toString(seq)).build();
        try {
            channel.basicPublish(exchange, routingKey, mandatory, withId, body);
        } catch (IOException | RuntimeException e) {
            pending.remove(seq);
            broken = true;
            throw e;
        }
    }

    /** A send's publish (notifications): {@code done} is told the broker's verdict. */
    void publish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props, byte[] body,
                 Completion done) throws IOException {
        publish(exchange, routingKey, mandatory, props, body, done, null, () -> done != null && done.done());
    }

    private void awaitRoom(BooleanSupplier giveUp) throws IOException {
        if (pending.size() < maxPending) {
            return;
        }
        synchronized (this) {
            while (pending.size() >= maxPending) {
                if (!channel.isOpen()) {
                    throw new IOException("the publishing channel closed");
                }
                if (giveUp.getAsBoolean()) {
                    throw new DriverTimeoutException(maxPending + " publishes await the broker's confirm"
                            + " (rabbit.rabbit_max_pending_confirms); the sender's timeout passed first");
                }
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for confirms", e);
                }
            }
        }
    }

    private void confirm(long seq, boolean multiple, boolean ack) {
        if (!ack) {
            broken = true;
        }
        if (multiple) {
            ConcurrentNavigableMap<Long, Pending> head = pending.headMap(seq, true);
            for (Map.Entry<Long, Pending> e : head.entrySet()) {
                if (head.remove(e.getKey(), e.getValue())) {
                    settle(e.getValue(), ack);
                }
            }
        } else {
            Pending p = pending.remove(seq);
            if (p != null) {
                settle(p, ack);
            }
        }
        synchronized (this) {
            notifyAll();
        }
    }

    private static void settle(Pending p, boolean ack) {
        if (p.reply != null) {
            p.reply.settled(p.returned, ack);
            return;
        }
        if (p.done == null) {
            return;
        }
        if (p.returned) {
            p.done.fail(BrokerConnection.unroutable(p.exchange, p.routingKey));
        } else if (ack) {
            p.done.succeed();
        } else {
            p.done.fail(new Retryable("the broker refused the message for exchange '" + p.exchange
                    + "' routing key '" + p.routingKey + "' (basic.nack)"));
        }
    }

    /** Fails every pending publish with {@code why}: the broker will not confirm them. */
    void failAll(String why) {
        broken = true;
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                Pending p = e.getValue();
                if (p.reply != null) {
                    p.reply.lost(why);
                } else if (p.done != null) {
                    p.done.fail(new Retryable(why + " (exchange '" + p.exchange + "', routing key '"
                            + p.routingKey + "')"));
                }
            }
        }
        synchronized (this) {
            notifyAll();
        }
    }

    private static Long parse(String id) {
        try {
            return id == null ? null : Long.valueOf(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True if publishing the message again may succeed: its channel or connection was lost, or it was nacked. */
    static boolean retryable(Throwable t) {
        return t instanceof Retryable;
    }
}

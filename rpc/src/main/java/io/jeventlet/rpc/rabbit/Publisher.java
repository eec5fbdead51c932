package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.jeventlet.rpc.spi.DriverException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * everything still pending: the broker will never confirm it.
 */
final class Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    /** One unconfirmed publish. {@code done} is null for fire-and-forget replies. */
    private static final class Pending {
        final Completion done;
        final String exchange;
        final String routingKey;
        volatile boolean returned;

        Pending(Completion done, String exchange, String routingKey) {
            this.done = done;
            this.exchange = exchange;
            this.routingKey = routingKey;
        }
    }

    private final Channel channel;
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

    Publisher(Channel channel) throws IOException {
        this.channel = channel;
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

    /**
     * Publishes {@code body}; {@code done} (if not null) is completed by the
     * broker's confirm, with a {@link io.jeventlet.rpc.spi.DeliveryException}
     * if {@code mandatory} and no queue took it.
     */
    void publish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props, byte[] body,
                 Completion done) throws IOException {
        long seq = channel.getNextPublishSeqNo();
        pending.put(seq, new Pending(done, exchange, routingKey));
        AMQP.BasicProperties withId = props.builder().messageId(Long.toString(seq)).build();
        try {
            channel.basicPublish(exchange, routingKey, mandatory, withId, body);
        } catch (IOException | RuntimeException e) {
            pending.remove(seq);
            throw e;
        }
    }

    private void confirm(long seq, boolean multiple, boolean ack) {
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
    }

    private static void settle(Pending p, boolean ack) {
        if (p.done == null) {
            if (p.returned) {
                // A reply whose caller's queue is gone: oslo drops it too (after its retries).
                LOG.warn("reply dropped: reply queue '{}' no longer exists (its caller went away)", p.routingKey);
            } else if (!ack) {
                LOG.warn("reply to '{}' was refused by the broker (basic.nack)", p.routingKey);
            }
            return;
        }
        if (p.returned) {
            p.done.fail(BrokerConnection.unroutable(p.exchange, p.routingKey));
        } else if (ack) {
            p.done.succeed();
        } else {
            p.done.fail(new DriverException("the broker refused the message for exchange '" + p.exchange
                    + "' routing key '" + p.routingKey + "' (basic.nack)"));
        }
    }

    /** Fails every pending publish with {@code why}. */
    void failAll(String why) {
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue()) && e.getValue().done != null) {
                e.getValue().done.fail(new DriverException(why + " (exchange '" + e.getValue().exchange
                        + "', routing key '" + e.getValue().routingKey + "')"));
            }
        }
    }

    private static Long parse(String id) {
        try {
            return id == null ? null : Long.valueOf(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

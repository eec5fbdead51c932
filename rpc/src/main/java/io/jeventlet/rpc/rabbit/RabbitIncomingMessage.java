package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.Channel;
import io.jeventlet.rpc.spi.AbstractIncomingMessage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request delivered from one of a listener's queues. Thread-safe.
 *
 * <p>Acknowledging, requeueing and replying never wait for the broker: they
 * are written by the hub's carrier when nothing can make that wait, else
 * queued to the driver's I/O thread
 * ({@link BrokerConnection#runHereOrSubmit}). The delivery tag belongs to the channel it came on; if
 * that channel closed meanwhile (a reconnect), the broker has already put
 * the message back for redelivery and the acknowledgement is skipped. A
 * listener may send its settlements its own way ({@link Settler}: the
 * notification listener batches them).
 */
final class RabbitIncomingMessage extends AbstractIncomingMessage {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitIncomingMessage.class);

    private final RabbitDriver driver;
    private final Channel channel;
    private final long tag;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Settler settler;
    /** When a reply to a missing reply queue stops being retried (System.nanoTime). */
    private final long replyDeadline;

    /** How a delivery's acknowledgement or requeue reaches the broker; called at most once per delivery. */
    interface Settler {
        void settle(Channel channel, long tag, boolean ack);
    }

    /** A delivery without an expiration (a notification), settled by {@code settler}. */
    RabbitIncomingMessage(RabbitDriver driver, Channel channel, long tag, byte[] body, Settler settler) {
        this(driver, channel, tag, body, null, settler);
    }

    /**
     * @param expiration the request's AMQP {@code expiration} (its call's timeout in ms) or null; it caps
     *                   how long a reply to a missing reply queue is retried
     */
    RabbitIncomingMessage(RabbitDriver driver, Channel channel, long tag, byte[] body, String expiration) {
        this(driver, channel, tag, body, expiration, (ch, t, ack) -> settleAlone(driver, ch, t, ack));
    }

    private RabbitIncomingMessage(RabbitDriver driver, Channel channel, long tag, byte[] body, String expiration,
                                  Settler settler) {
        super(body);
        this.settler = settler;
        this.driver = driver;
        this.channel = channel;
        this.tag = tag;
        double retry = driver.missingConsumerRetryTimeout();
        if (expiration != null) {
            try {
                retry = Math.min(retry, Long.parseLong(expiration) / 1000.0);
            } catch (NumberFormatException e) {
                // Not kombu's integer milliseconds: keep the option's limit.
            }
        }
        this.replyDeadline = System.nanoTime() + (long) (retry * 1e9);
    }

    @Override
    public void reply(String replyAddress, byte[] replyBody) {
        if (replyAddress == null || replyAddress.isEmpty()) {
            LOG.warn("reply dropped: the request carried no _reply_q");
            return;
        }
        driver.publishReply(replyAddress, replyBody, replyDeadline);
    }

    @Override
    public void acknowledge() {
        settle(true);
    }

    @Override
    public void requeue() {
        settle(false);
    }

    private void settle(boolean ack) {
        if (settled.compareAndSet(false, true)) {
            settler.settle(channel, tag, ack);
        }
    }

    /** The default settlement: one I/O task for this delivery. */
    private static void settleAlone(RabbitDriver driver, Channel channel, long tag, boolean ack) {
        driver.io().runHereOrSubmit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection io) throws java.io.IOException {
                settleNow(channel, tag, ack);
            }

            @Override
            public void fail(Throwable error) {
                LOG.debug("delivery {} not {}: {}", tag, ack ? "acknowledged" : "requeued", error.toString());
            }
        }, null);
    }

    /**
     * Acknowledges or requeues delivery {@code tag} of {@code channel} (I/O
     * thread); skipped when the channel closed meanwhile: the broker has put
     * the message back for redelivery already.
     */
    static void settleNow(Channel channel, long tag, boolean ack) throws java.io.IOException {
        if (!channel.isOpen()) {
            LOG.debug("delivery {} not {}: its channel closed, the broker redelivers it", tag,
                    ack ? "acknowledged" : "requeued");
            return;
        }
        if (ack) {
            channel.basicAck(tag, false);
        } else {
            channel.basicReject(tag, true);
        }
    }
}

package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.ReplyHandler;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's reply queue {@code reply_<uuid hex>} and the calls that
 * await a reply on it. Thread-safe.
 *
 * <p>Overview: the queue is declared (with oslo's flags and
 * {@code x-expires}) and consumed with auto-ack on a channel of its own at
 * every (re)connect, so a broker restart that deleted it does not leave the
 * transport deaf. Replies are handed to the core's {@link ReplyHandler} on
 * amqp-client's reader thread ({@link DirectDispatch}). The driver keeps the ids of calls in
 * flight (sent, final reply not seen) so that a lost connection ends each
 * of them at once through {@link ReplyHandler#onUndeliverable}: a reply
 * published while the queue was gone is lost for good. Which call a reply
 * ends is what the {@link ReplyHandler} returns: the transport decodes each
 * body once, and the driver treats bodies as opaque.
 */
final class ReplyConsumer implements BrokerConnection.Declarable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyConsumer.class);

    /** Changes only when the broker refuses to declare it (its home node down): a new name is used then. */
    private volatile String queue;
    private final OsloTopology topology;
    private final ReplyHandler handler;
    /** msg id -> deadline (System.nanoTime) of each call in flight; swept now and then, so a call
     *  whose reply never comes does not stay here after its caller gave up. */
    private final ConcurrentHashMap<String, Long> inFlight = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger expects = new java.util.concurrent.atomic.AtomicInteger();
    private static final int SWEEP_EVERY = 1024;
    /** Set when the driver deletes the queue itself at close: the broker's cancel is then expected. */
    private volatile boolean closing;

    ReplyConsumer(OsloTopology topology, ReplyHandler handler) {
        this.topology = topology;
        this.handler = handler;
        this.queue = topology.newReplyQueue();
    }

    String queue() {
        return queue;
    }

    @Override
    public void declare(Connection connection) throws IOException {
        Channel ch = connection.createChannel();
        try {
            ch.queueDeclare(queue, topology.replyDurable(), false, false, topology.replyQueueArguments());
        } catch (IOException | RuntimeException e) {
            if (connection.isOpen()) {
                // Refused on a live connection: after the loss of a cluster node the old queue's record can
                // outlive its home node, and the name stays unusable there. Calls in flight ended with the loss;
                // the next attempt declares a fresh name, which new calls carry as their _reply_q.
                String old = queue;
                queue = topology.newReplyQueue();
                LOG.warn("reply queue '{}' cannot be declared ({}); using '{}' instead", old,
                        BrokerConnection.reason(e), queue);
            }
            throw e;
        }
        ch.basicConsume(queue, true, topology.consumerArguments(false, null), (tag, delivery) -> deliver(delivery.getBody()), tag -> {
            if (closing) {
                return;
            }
            // The broker cancelled us (queue deleted by hand, x-expires after a long outage): declare it again.
            LOG.warn("reply queue '{}' was deleted on the broker; declaring it again", queue);
            abort(ch);
        });
        ch.addShutdownListener(cause -> {
            if (!closing && !cause.isHardError() && !cause.isInitiatedByApplication()) {
                // A channel error with the connection up: treat it as a loss, so the reconnect declares
                // the reply queue again and ends the calls whose replies may be gone.
                LOG.warn("the reply channel of '{}' was closed by the broker ({}); reconnecting", queue,
                        cause.getMessage());
                abort(ch);
            }
        });
    }

    @Override
    public String toString() {
        return "reply queue '" + queue + "'";
    }

    /** Aborts the connection from a thread of its own: amqp-client's threads must not wait on their own close. */
    private static void abort(Channel ch) {
        Thread.ofPlatform().daemon().name("jeventlet-rabbit-abort").start(() -> {
            try {
                ch.getConnection().abort(5_000);
            } catch (RuntimeException e) {
                LOG.debug("aborting the connection: {}", e.toString());
            }
        });
    }

    /** A reply, on amqp-client's reader thread ({@link DirectDispatch}): never blocks, never throws. */
    private void deliver(byte[] body) {
        if (handler != null) {
            try {
                ReplyHandler.Received r = handler.onReply(body);
                if (r != null && r.ending()) {
                    inFlight.remove(r.msgId());
                }
            } catch (RuntimeException e) {
                LOG.error("a reply on '{}' could not be handed over: {}", queue, e.toString(), e);
            }
        }
    }

    /** Records that call {@code msgId} awaits a reply until {@code deadlineNanos} (System.nanoTime). */
    void expect(String msgId, long deadlineNanos) {
        inFlight.put(msgId, deadlineNanos);
        if (expects.incrementAndGet() % SWEEP_EVERY == 0) {
            long now = System.nanoTime();
            inFlight.values().removeIf(d -> now - d > 0);
        }
    }


    /** Ends call {@code msgId} with {@code error} (its request could not be delivered). */
    void fail(String msgId, DriverException error) {
        if (inFlight.remove(msgId) != null && handler != null) {
            handler.onUndeliverable(msgId, error);
        }
    }

    /** Ends every call in flight with {@code why}: its reply can no longer come. */
    void failInFlight(String why) {
        long now = System.nanoTime();
        for (String id : inFlight.keySet()) {
            Long deadline = inFlight.remove(id);
            if (deadline != null && now - deadline <= 0 && handler != null) {
                handler.onUndeliverable(id, new DeliveryException(
                        "call " + id + " lost its reply: " + why + "; the request may or may not have run"));
            }
        }
    }

    /** The driver is about to delete the queue. */
    void closing() {
        closing = true;
    }

    /** Ends every call in flight because the transport closed. */
    void closeAll() {
        for (String id : inFlight.keySet()) {
            if (inFlight.remove(id) != null && handler != null) {
                handler.onUndeliverable(id, new DriverException("the transport was closed while call " + id
                        + " awaited its reply"));
            }
        }
    }

    int inFlightCount() {
        return inFlight.size();
    }
}

package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.DriverTimeoutException;
import io.jeventlet.rpc.spi.TransportEvent;
import io.jeventlet.rpc.spi.TransportEvents;
import io.jeventlet.rpc.spi.TransportOpts;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportUrl;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rabbit://} driver: oslo.messaging's rabbit driver, wire for
 * wire, on amqp-client. Thread-safe: any green thread of any hub may send,
 * listen and reply through one driver.
 *
 * <p>What goes on the wire (as oslo 14 with kombu 5.2 sends it): bodies are
 * the core's envelope, {@code content_type application/json},
 * {@code content_encoding utf-8}, delivery mode 2, priority 0; a call
 * carries {@code expiration} = its timeout in milliseconds. Requests go to
 * the target's exchange (topic type) with routing key {@code topic} or
 * {@code topic.server}, or to {@code topic_fanout} (fanout type); replies go
 * to the default exchange with the caller's {@code reply_<uuid>} queue as
 * routing key. Exchanges and queues are declared as {@link OsloTopology}
 * says.
 *
 * <p>Guarantees beyond oslo's: every request is published with publisher
 * confirms, so {@link #send} returns only once the broker has the message;
 * requests to a topic or {@code topic.server} are {@code mandatory}, so
 * {@link #send} fails at once with
 * {@link io.jeventlet.rpc.spi.DeliveryException} when no queue is bound for
 * the target (a fanout to no server is dropped by its exchange, as oslo's); a lost connection ends every call awaiting a reply at once
 * with {@code DeliveryException}, and the reconnect re-declares the
 * reply queue and every listener's queues.
 */
public final class RabbitDriver implements Driver, NotificationDriver {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitDriver.class);

    private final ConfigOpts conf;
    private final OsloTopology topology;
    private final BrokerConnection io;
    private final ReplyConsumer replies;
    private final String controlExchange;
    private final double castTimeout;
    private final RabbitNotifications notifications;
    private volatile boolean closed;

    RabbitDriver(TransportUrl url, DriverContext context) {
        this.conf = context.conf();
        this.topology = OsloTopology.from(conf);
        boolean ssl = conf.get(RabbitOpts.SSL) || "true".equalsIgnoreCase(url.query().getOrDefault("ssl", "false"));
        SSLContext tls = ssl ? TlsContexts.create(conf.get(RabbitOpts.SSL_CA_FILE),
                conf.get(RabbitOpts.SSL_CERT_FILE), conf.get(RabbitOpts.SSL_KEY_FILE), conf.get(RabbitOpts.SSL_VERSION))
                : null;
        BrokerAddresses addresses = BrokerAddresses.from(url, ssl, conf.get(RabbitOpts.KOMBU_FAILOVER_STRATEGY));
        this.replies = new ReplyConsumer(topology, context.replies());
        this.controlExchange = conf.get(TransportOpts.CONTROL_EXCHANGE);
        this.castTimeout = conf.get(TransportOpts.RESPONSE_TIMEOUT);
        this.io = new BrokerConnection(addresses, conf.get(RabbitOpts.HEARTBEAT_TIMEOUT_THRESHOLD), tls,
                conf.get(RabbitOpts.RABBIT_RETRY_INTERVAL), conf.get(RabbitOpts.RABBIT_RETRY_BACKOFF),
                conf.get(RabbitOpts.RABBIT_INTERVAL_MAX), conf.get(TransportOpts.OUTAGE_WARNING_INTERVAL),
                new BusEvents(context.events()));
        io.register(replies);
        this.notifications = new RabbitNotifications(this, io, topology, conf);
        io.start();
    }

    @Override
    public void sendNotification(String exchange, String routingKey, byte[] body, int retry) {
        checkOpen();
        notifications.sendNotification(exchange, routingKey, body, retry);
    }

    @Override
    public Listener listenForNotifications(List<Binding> bindings, String pool, IncomingHandler handler) {
        checkOpen();
        return notifications.listenForNotifications(bindings, pool, handler);
    }

    BrokerConnection io() {
        return io;
    }

    /** The connection's changes: calls in flight fail on a loss; each change is a transport event. */
    private final class BusEvents implements BrokerConnection.Events {
        private final TransportEvents events;
        private volatile boolean inOutage;

        BusEvents(TransportEvents events) {
            this.events = events;
        }

        @Override
        public void lost(String why) {
            replies.failInFlight(why);
            events.emit(TransportEvent.Kind.DISCONNECTED, "connection_lost", why);
        }

        @Override
        public void connected(String broker, boolean again) {
            if (again) {
                events.reconnected("connected to " + broker + " again");
            }
            if (inOutage) {
                inOutage = false;
                events.emit(TransportEvent.Kind.OUTAGE_ENDED, "", "connected to " + broker);
            }
        }

        @Override
        public void outage(String why) {
            inOutage = true;
            events.emit(TransportEvent.Kind.OUTAGE_STARTED, "unreachable", why);
        }

        @Override
        public void blocked(String reason) {
            if (reason != null) {
                events.emit(TransportEvent.Kind.BLOCKED, reason, "the broker blocked publishing: " + reason);
            } else {
                events.emit(TransportEvent.Kind.UNBLOCKED, "", "the broker accepts publishing again");
            }
        }
    }

    @Override
    public String replyAddress() {
        return replies.queue();
    }

    @Override
    public void send(Address target, OutgoingMessage message) {
        checkOpen();
        if (target.topic() == null || target.topic().isEmpty()) {
            throw new IllegalArgumentException("target " + target + " has no topic; a rabbit:// request needs one");
        }
        String exchange;
        String routingKey;
        String type;
        boolean durable;
        boolean autoDelete;
        if (target.fanout()) {
            exchange = OsloTopology.fanoutExchange(target.topic());
            routingKey = "";
            type = "fanout";
            durable = false;
            autoDelete = true;
        } else {
            exchange = target.exchange() != null ? target.exchange() : controlExchange;
            routingKey = target.server() != null ? target.topic() + "." + target.server() : target.topic();
            type = "topic";
            durable = topology.durable();
            autoDelete = topology.autoDelete();
        }
        AMQP.BasicProperties.Builder props = properties();
        if (message.isCall()) {
            sendCall(exchange, routingKey, type, durable, autoDelete, props, message);
            return;
        }
        Completion done = new Completion();
        AMQP.BasicProperties built = props.build();
        io.submit(publishTask(exchange, routingKey, type, durable, autoDelete, !target.fanout(), built, message.body(),
                done, Long.MAX_VALUE));
        if (!done.await(castTimeout)) {
            DriverTimeoutException timeout = new DriverTimeoutException("the broker " + io.describe() + " did not confirm the cast"
                    + " to exchange '" + exchange + "' routing key '" + routingKey + "' within " + castTimeout + " s"
                    + (io.connected() ? "" : " (not connected: it is reconnecting)"));
            done.fail(timeout);
            throw timeout;
        }
    }

    /**
     * A call does not wait for the broker's confirm here: the confirm and the
     * server's work proceed together, and the caller parks once, for the
     * reply. A return (no queue bound), a nack or a lost connection ends the
     * call through {@link io.jeventlet.rpc.spi.ReplyHandler#onUndeliverable},
     * which the SPI allows; a call still queued for a connection when its
     * timeout passed is not published late.
     */
    private void sendCall(String exchange, String routingKey, String type, boolean durable, boolean autoDelete,
                          AMQP.BasicProperties.Builder props, OutgoingMessage message) {
        double t = message.timeoutSeconds();
        long deadline = Long.MAX_VALUE;
        if (t > 0 && Double.isFinite(t)) {
            // kombu: str(int(expiration * 1000)).
            props.expiration(Long.toString((long) (t * 1000)));
            deadline = System.nanoTime() + (long) (t * 1e9);
        }
        String msgId = message.msgId();
        replies.expect(msgId, deadline == Long.MAX_VALUE ? System.nanoTime() + Long.MAX_VALUE / 2 : deadline);
        Completion done = new Completion(error -> replies.fail(msgId, error instanceof DriverException me ? me
                : new DriverException("call " + msgId + " could not be sent: " + error, error)));
        io.submit(publishTask(exchange, routingKey, type, durable, autoDelete, true, props.build(), message.body(),
                done, deadline));
    }

    private static BrokerConnection.IoTask publishTask(String exchange, String routingKey, String type, boolean durable,
                                                       boolean autoDelete, boolean mandatory, AMQP.BasicProperties props,
                                                       byte[] body, Completion done, long deadlineNanos) {
        return new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                c.declareExchangeOnce(exchange, type, durable, autoDelete);
                c.publisher().publish(exchange, routingKey, mandatory, props, body, done);
            }

            @Override
            public void fail(Throwable error) {
                done.fail(error);
            }

            @Override
            public boolean abandoned() {
                return done.done() || System.nanoTime() - deadlineNanos > 0 && deadlineNanos != Long.MAX_VALUE;
            }
        };
    }

    /** oslo's (kombu's) message properties. */
    private static AMQP.BasicProperties.Builder properties() {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .priority(0);
    }

    /** Sends a reply to {@code replyQueue} without waiting; a missing queue is logged by the publisher. */
    void publishReply(String replyQueue, byte[] body) {
        if (closed) {
            LOG.warn("reply to '{}' dropped: the transport is closed", replyQueue);
            return;
        }
        AMQP.BasicProperties built = properties().build();
        io.submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                c.publisher().publish("", replyQueue, true, built, body, null);
            }

            @Override
            public void fail(Throwable error) {
                LOG.warn("reply to '{}' dropped: {}", replyQueue, error.toString());
            }
        });
    }

    @Override
    public Listener listen(Address target, IncomingHandler handler) {
        checkOpen();
        if (target.topic() == null || target.server() == null) {
            throw new IllegalArgumentException("a rabbit:// server's target needs a topic and a server; got " + target);
        }
        int prefetch = conf.get(RabbitOpts.RABBIT_QOS_PREFETCH_COUNT);
        if (prefetch == 0) {
            prefetch = conf.get(TransportOpts.EXECUTOR_THREAD_POOL_SIZE);
        }
        String exchange = target.exchange() != null ? target.exchange() : controlExchange;
        RabbitListener listener = new RabbitListener(this, target, exchange, prefetch, handler, topology);
        Completion done = new Completion();
        io.submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                listener.declare(c.connection());
                c.register(listener);
                done.succeed();
            }

            @Override
            public void fail(Throwable error) {
                done.fail(error);
            }

            @Override
            public boolean abandoned() {
                return done.done();
            }
        });
        boolean ok = false;
        try {
            done.await(Double.POSITIVE_INFINITY);
            ok = true;
        } finally {
            if (!ok) {
                // Killed, timed out or refused: make sure a late declaration does not leave it consuming.
                done.fail(new DriverException("listen abandoned"));
                io.submit(new BrokerConnection.IoTask() {
                    @Override
                    public void run(BrokerConnection c) {
                        c.unregister(listener);
                    }

                    @Override
                    public void fail(Throwable error) {
                    }
                });
            }
        }
        return listener;
    }

    private void checkOpen() {
        if (closed) {
            throw new DriverException("the rabbit transport " + io.describe() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        replies.closing();
        Completion cleaned = new Completion();
        io.submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                // oslo leaves its reply queue to x-expires; ours has no other user, so free it now.
                try (com.rabbitmq.client.Channel ch = c.connection().createChannel()) {
                    ch.queueDelete(replies.queue());
                } catch (java.util.concurrent.TimeoutException e) {
                    LOG.debug("deleting the reply queue: {}", e.toString());
                }
                cleaned.succeed();
            }

            @Override
            public void fail(Throwable error) {
                cleaned.succeed();
            }
        });
        if (io.connected()) {
            try {
                cleaned.await(2.0);
            } catch (RuntimeException e) {
                LOG.debug("reply queue clean-up: {}", e.toString());
            }
        }
        io.close();
        replies.closeAll();
    }

    @Override
    public String toString() {
        return "RabbitDriver(" + io.describe() + ", reply queue " + replies.queue() + ")";
    }
}

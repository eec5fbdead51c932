package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.DriverTimeoutException;
import io.jeventlet.rpc.spi.NotificationDriver;
import io.jeventlet.rpc.spi.TransportEvent;
import io.jeventlet.rpc.spi.TransportEvents;
import io.jeventlet.rpc.spi.TransportOpts;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
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
 * {@link io.jeventlet.rpc.DeliveryException} when no queue is bound for
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
    private final RabbitSettings settings;
    private final RabbitNotifications notifications;
    private final boolean castConfirm;
    private final TransportEvents busEvents;
    private volatile boolean closed;

    RabbitDriver(TransportUrl url, DriverContext context) {
        this.conf = context.conf();
        // oslo lets the URL's query override any option of the group (?rabbit_qos_prefetch_count=10, ?ssl=true).
        this.settings = new RabbitSettings(conf, url.query());
        this.topology = OsloTopology.from(settings);
        boolean ssl = settings.get(RabbitOpts.SSL);
        SSLContext tls = ssl ? TlsContexts.create(settings.get(RabbitOpts.SSL_CA_FILE),
                settings.get(RabbitOpts.SSL_CERT_FILE), settings.get(RabbitOpts.SSL_KEY_FILE),
                settings.get(RabbitOpts.SSL_VERSION)) : null;
        BrokerAddresses addresses = BrokerAddresses.from(url, ssl, settings.get(RabbitOpts.KOMBU_FAILOVER_STRATEGY));
        this.replies = new ReplyConsumer(topology, context.replies());
        this.controlExchange = conf.get(TransportOpts.CONTROL_EXCHANGE);
        this.castTimeout = conf.get(TransportOpts.RESPONSE_TIMEOUT);
        this.castConfirm = settings.get(RabbitOpts.RABBIT_CAST_CONFIRM);
        this.busEvents = context.events();
        this.io = new BrokerConnection(addresses, new BrokerConnection.Settings(
                settings.get(RabbitOpts.HEARTBEAT_TIMEOUT_THRESHOLD), tls,
                settings.get(RabbitOpts.RABBIT_RETRY_INTERVAL), settings.get(RabbitOpts.RABBIT_RETRY_BACKOFF),
                settings.get(RabbitOpts.RABBIT_INTERVAL_MAX), settings.get(RabbitOpts.KOMBU_RECONNECT_DELAY),
                settings.get(RabbitOpts.KOMBU_RECONNECT_SPLAY), settings.get(RabbitOpts.RABBIT_LOGIN_METHOD),
                settings.get(RabbitOpts.RABBIT_MAX_PENDING_CONFIRMS), conf.get(TransportOpts.OUTAGE_WARNING_INTERVAL)),
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

    /** {@code kombu_missing_consumer_retry_timeout}, seconds. */
    double missingConsumerRetryTimeout() {
        return settings.get(RabbitOpts.KOMBU_MISSING_CONSUMER_RETRY_TIMEOUT);
    }

    BrokerConnection io() {
        return io;
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
        AMQP.BasicProperties built = props.build();
        long deadline = System.nanoTime() + (long) (castTimeout * 1e9);
        if (!castConfirm) {
            sendUnconfirmed(exchange, routingKey, type, durable, autoDelete, !target.fanout(), built, message.body(),
                    deadline);
            return;
        }
        // A cast whose channel or connection was lost before the confirm, or that was nacked, is published
        // again (on the next channel or connection) until its timeout, as oslo's ensure() retries a publish.
        for (int attempt = 0; ; attempt++) {
            Completion done = new Completion();
            io.runHereOrSubmit(publishTask(exchange, routingKey, type, durable, autoDelete, !target.fanout(), built,
                    message.body(), done, deadline), exchange);
            double left = (deadline - System.nanoTime()) / 1e9;
            try {
                if (left > 0 && done.await(left)) {
                    return;
                }
            } catch (DriverException e) {
                if (Publisher.retryable(e) && deadline - System.nanoTime() > 0) {
                    LOG.debug("cast to '{}' '{}' published again after: {}", exchange, routingKey, e.getMessage());
                    continue;
                }
                throw documented(e);
            }
            DriverTimeoutException timeout = notConfirmed("the cast to exchange '" + exchange + "' routing key '"
                    + routingKey + "'", castTimeout);
            done.fail(timeout);
            throw timeout;
        }
    }

    /**
     * {@code error} as one of the documented types a send ends with:
     * {@link DriverTimeoutException} as is, anything else as a plain
     * {@link DeliveryException} (not delivered, or not known to be),
     * never a bare broker error such as {@code CONNECTION_FORCED}.
     */
    static DriverException documented(Throwable error) {
        if (error instanceof DriverTimeoutException t) {
            return t;
        }
        if (error instanceof DeliveryException f && f.getClass() == DeliveryException.class) {
            return f;
        }
        return new DeliveryException(error instanceof DriverException me ? me.getMessage() : error.toString(),
                error);
    }

    /**
     * {@code rabbit_cast_confirm = false}: the cast returns once the I/O
     * thread wrote it to the connection, as oslo's casts; the broker's
     * confirm, return or nack is not awaited (a nack still drops the channel).
     */
    private void sendUnconfirmed(String exchange, String routingKey, String type, boolean durable, boolean autoDelete,
                                 boolean mandatory, AMQP.BasicProperties props, byte[] body, long deadline) {
        Completion written = new Completion();
        io.runHereOrSubmit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                c.declareExchangeOnce(exchange, type, durable, autoDelete);
                c.publisher().publish(exchange, routingKey, mandatory, props, body, null, null, this::abandoned);
                written.succeed();
            }

            @Override
            public void fail(Throwable error) {
                written.fail(error);
            }

            @Override
            public boolean abandoned() {
                return written.done() || System.nanoTime() - deadline > 0;
            }
        }, exchange);
        try {
            if (written.await(Math.max(0, (deadline - System.nanoTime()) / 1e9))) {
                return;
            }
        } catch (DriverException e) {
            throw documented(e);
        }
        DriverTimeoutException timeout = notConfirmed("the cast to exchange '" + exchange + "' routing key '"
                + routingKey + "' (unconfirmed: not even written)", castTimeout);
        written.fail(timeout);
        throw timeout;
    }

    /** A send the broker did not confirm in time, naming the broker's alarm when it blocks the connection. */
    private DriverTimeoutException notConfirmed(String what, double seconds) {
        String blocked = io.blockedReason();
        return new DriverTimeoutException("the broker " + io.describe() + " did not confirm " + what + " within "
                + seconds + " s" + (blocked != null ? ": the broker blocked this connection (" + blocked
                + "; a resource alarm) and holds its publishes until the alarm clears"
                : io.connected() ? "" : " (not connected: it is reconnecting)"));
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
        // Only documented types end a call: DeliveryException (not delivered, or may not have been)
        // or DriverTimeoutException; never a bare broker error such as CONNECTION_FORCED.
        Completion done = new Completion(error -> replies.fail(msgId, documented(error)));
        io.runHereOrSubmit(publishTask(exchange, routingKey, type, durable, autoDelete, true, props.build(),
                message.body(), done, deadline), exchange);
        if (deadline != Long.MAX_VALUE) {
            // A request a blocked broker holds unconfirmed ends just before the call's timeout, naming the alarm.
            io.later(() -> {
                if (!done.done() && io.blockedReason() != null) {
                    done.fail(notConfirmed("call " + msgId + " to exchange '" + exchange + "' routing key '"
                            + routingKey + "'", t));
                }
            }, Math.max(0, t - Math.min(0.2, t * 0.1)));
        }
    }

    private static BrokerConnection.IoTask publishTask(String exchange, String routingKey, String type, boolean durable,
                                                       boolean autoDelete, boolean mandatory, AMQP.BasicProperties props,
                                                       byte[] body, Completion done, long deadlineNanos) {
        return new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                c.declareExchangeOnce(exchange, type, durable, autoDelete);
                c.publisher().publish(exchange, routingKey, mandatory, props, body, done, null, this::abandoned);
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

    /**
     * Sends a reply to {@code replyQueue} without waiting. A reply the broker
     * returns (NO_ROUTE: the caller's reply queue is missing for a moment,
     * its connection being re-established) or loses with a connection is
     * published again every 0.25 s until {@code deadlineNanos}
     * ({@code kombu_missing_consumer_retry_timeout}, capped by the call's
     * timeout), as oslo's server does; then it is dropped with a WARN.
     */
    void publishReply(String replyQueue, byte[] body, long deadlineNanos) {
        if (closed) {
            LOG.warn("reply to '{}' dropped: the transport is closed", replyQueue);
            return;
        }
        io.runHereOrSubmit(new ReplyPublish(replyQueue, properties().build(), body, deadlineNanos), "");
    }

    /** One reply on its way, published again while its reply queue is missing. */
    private final class ReplyPublish implements BrokerConnection.IoTask, Publisher.ReplyOutcome {
        private static final double RETRY_EVERY = 0.25;
        private final String replyQueue;
        private final AMQP.BasicProperties props;
        private final byte[] body;
        private final long deadline;
        private final long started = System.nanoTime();
        private int attempts;

        ReplyPublish(String replyQueue, AMQP.BasicProperties props, byte[] body, long deadline) {
            this.replyQueue = replyQueue;
            this.props = props;
            this.body = body;
            this.deadline = deadline;
        }

        @Override
        public void run(BrokerConnection c) throws IOException {
            attempts++;
            c.publisher().publish("", replyQueue, true, props, body, null, this,
                    () -> closed || System.nanoTime() - deadline > 0);
        }

        @Override
        public void fail(Throwable error) {
            again("it could not be published: " + error.getMessage());
        }

        @Override
        public void settled(boolean returned, boolean ack) {
            if (returned) {
                if (attempts == 1) {
                    LOG.info("reply queue '{}' does not exist (yet); sending the reply again every {} s for up to"
                            + " {} s", replyQueue, RETRY_EVERY, String.format("%.1f", (deadline - started) / 1e9));
                }
                again("its reply queue no longer exists (its caller went away)");
            } else if (!ack) {
                again("the broker refused it (basic.nack)");
            } else if (attempts > 1) {
                LOG.info("reply to '{}' delivered after {} attempt(s)", replyQueue, attempts);
            }
        }

        @Override
        public void lost(String why) {
            again(why);
        }

        private void again(String why) {
            if (closed || System.nanoTime() - deadline > 0) {
                LOG.warn("reply to '{}' dropped after {} attempt(s) in {} s: {}", replyQueue, attempts,
                        String.format("%.1f", (System.nanoTime() - started) / 1e9), why);
                busEvents.dropped("reply_queue_missing", "reply to '" + replyQueue + "' dropped after " + attempts
                        + " attempt(s): " + why);
                return;
            }
            io.submitLater(this, RETRY_EVERY);
        }
    }

    @Override
    public Listener listen(Address target, IncomingHandler handler) {
        checkOpen();
        if (target.topic() == null || target.server() == null) {
            throw new IllegalArgumentException("a rabbit:// server's target needs a topic and a server; got " + target);
        }
        // 0: no basic.qos, as oslo (the broker sends all it has); a positive value bounds the server's backlog.
        int prefetch = settings.get(RabbitOpts.RABBIT_QOS_PREFETCH_COUNT);
        String exchange = target.exchange() != null ? target.exchange() : controlExchange;
        RabbitListener listener = new RabbitListener(this, target, exchange, prefetch, handler, topology);
        declareAndRegister(listener, () -> io.submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) {
                c.unregister(listener);
            }

            @Override
            public void fail(Throwable error) {
            }
        }));
        return listener;
    }

    /**
     * Declares {@code declarable} on the I/O thread and registers it for
     * every reconnect, waiting (without limit: the caller's green thread may
     * be killed) until it is. Killed, timed out or refused: {@code abandon}
     * runs, so that a late declaration does not leave it consuming.
     */
    void declareAndRegister(BrokerConnection.Declarable declarable, Runnable abandon) {
        Completion done = new Completion();
        io.submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                declarable.declare(c.connection());
                c.register(declarable);
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
                done.fail(new DriverException("listen abandoned"));
                abandon.run();
            }
        }
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

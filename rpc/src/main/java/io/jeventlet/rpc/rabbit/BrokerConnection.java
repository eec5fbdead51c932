package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.OutageLog;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection to the first reachable broker of a URL, kept up by a
 * reconnect loop, and the single I/O thread that makes every channel call
 * of a driver. Thread-safe: other threads hand it {@link IoTask}s.
 *
 * <p>Lifecycle:
 * <pre>
 * CONNECTING -> CONNECTED    // a broker accepted; every Declarable re-declared
 * CONNECTED  -> CONNECTING   // the connection was lost (broker stopped, network, heartbeat)
 * any        -> CLOSED       // close()
 * </pre>
 *
 * <p>Overview: amqp-client channel calls block their thread without regard
 * to interrupts, and a kill or {@code Timeout} delivered to a green thread
 * blocked in a socket write would close the socket under the connection. So
 * no green thread ever touches a channel: they queue an {@link IoTask} and
 * park on a {@link Completion}, and this class's one platform thread runs
 * the tasks in order. That thread also owns the reconnect loop (the client's
 * automatic recovery is off): on a loss it fails every unconfirmed publish,
 * tells the driver (which ends the calls awaiting replies), then tries the
 * URL's brokers with back-off, and once connected re-declares every
 * registered {@link Declarable} — reply queue, listeners' queues, exchanges
 * and bindings — before it runs the next queued task. Tasks queued during an
 * outage wait; their callers' own timeouts bound that wait.
 *
 * <p>Deliveries and confirms arrive on amqp-client's threads (its reader
 * thread and consumer work pool) and are handed on without blocking them.
 */
final class BrokerConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** TCP connect and AMQP handshake limit for one broker; the back-off loop retries after it. */
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Limit of one channel RPC (declare, bind, qos): the I/O thread never waits forever for a broker. */
    private static final int CHANNEL_RPC_TIMEOUT_MS = 10_000;

    /** Work for the I/O thread. */
    interface IoTask {
        /** Runs on the I/O thread while connected. */
        void run(BrokerConnection io) throws IOException;

        /** The task could not run (it threw, or the connection closed for good). */
        void fail(Throwable error);

        /** True if its caller stopped waiting: skip it. */
        default boolean abandoned() {
            return false;
        }
    }

    /** Something declared on the broker that must be declared again after every reconnect. */
    interface Declarable {
        /** Declares it on the new connection {@code connection} (I/O thread). */
        void declare(Connection connection) throws IOException;
    }

    /** What the driver learns of connection changes. Called on amqp-client's or the I/O thread. */
    interface Events {
        /** The connection was lost (not closed by us). */
        void lost(String why);

        /** Connected after a loss ({@code again}) or after failed first attempts; {@code broker} is where. */
        default void connected(String broker, boolean again) {
        }

        /** The first failed attempt of an outage: no broker is reachable. */
        default void outage(String why) {
        }

        /** The broker blocked publishing ({@code reason} is its own), or unblocked it ({@code reason} null). */
        default void blocked(String reason) {
        }
    }

    private final BrokerAddresses addresses;
    private final ConnectionFactory factory = new ConnectionFactory();
    private final double retryInterval;
    private final double retryBackoff;
    private final double intervalMax;
    private final Events events;
    private final LinkedBlockingQueue<IoTask> tasks = new LinkedBlockingQueue<>();
    private final List<Declarable> declarables = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final String name;
    private volatile boolean closed;
    private volatile boolean connected;
    /** Counted down by close(): ends a back-off wait without an interrupt of this channel-owning thread. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    /** I/O-thread-confined: the WARN lines of an outage, the first at once and then one per interval. */
    private final OutageLog outage;

    // I/O-thread-confined state.
    private Connection connection;
    private Publisher publisher;
    private int lastHost = -1;
    private final java.util.Set<String> declaredExchanges = new java.util.HashSet<>();

    BrokerConnection(BrokerAddresses addresses, int heartbeatSeconds, SSLContext ssl,
                     double retryInterval, double retryBackoff, double intervalMax, double outageWarningInterval,
                     Events events) {
        this.addresses = addresses;
        this.outage = new OutageLog(LOG, "RabbitMQ " + addresses, outageWarningInterval);
        this.retryInterval = retryInterval;
        this.retryBackoff = retryBackoff;
        this.intervalMax = intervalMax;
        this.events = events;
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setRequestedHeartbeat(heartbeatSeconds);
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        factory.setHandshakeTimeout(CONNECT_TIMEOUT_MS);
        factory.setChannelRpcTimeout(CHANNEL_RPC_TIMEOUT_MS);
        factory.setVirtualHost(addresses.virtualHost());
        if (ssl != null) {
            factory.useSslProtocol(ssl);
            factory.enableHostnameVerification();
        }
        this.name = "jeventlet-rabbit-" + IDS.incrementAndGet();
        this.thread = Thread.ofPlatform().daemon().name(name + "-io").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Adds {@code d}; it is declared by the caller's own task now, and again after every reconnect. */
    void register(Declarable d) {
        declarables.add(d);
    }

    void unregister(Declarable d) {
        declarables.remove(d);
    }

    /** Queues {@code task} for the I/O thread. */
    void submit(IoTask task) {
        if (closed) {
            task.fail(new DriverException("the rabbit transport " + addresses + " is closed"));
            return;
        }
        tasks.add(task);
    }

    boolean connected() {
        return connected;
    }

    String describe() {
        return addresses.toString();
    }

    // ---- for tasks (I/O thread only) ----

    Connection connection() {
        return connection;
    }

    Publisher publisher() throws IOException {
        if (publisher == null || !publisher.open()) {
            publisher = new Publisher(connection.createChannel());
            declaredExchanges.clear();
        }
        return publisher;
    }

    /** Declares {@code exchange} on the publish channel once per connection, as oslo does before publishing. */
    void declareExchangeOnce(String exchange, String type, boolean durable, boolean autoDelete) throws IOException {
        Publisher p = publisher();
        if (declaredExchanges.add(exchange)) {
            try {
                p.channel().exchangeDeclare(exchange, type, durable, autoDelete, Map.of());
            } catch (IOException | RuntimeException e) {
                declaredExchanges.remove(exchange);
                throw e;
            }
        }
    }

    // ---- the loop ----

    private void loop() {
        try {
            while (!closed) {
                if (connection == null || !connection.isOpen()) {
                    connect();
                    continue;
                }
                IoTask task = tasks.poll(1, TimeUnit.SECONDS);
                if (task == null || task.abandoned()) {
                    continue;
                }
                runTask(task);
            }
        } catch (InterruptedException e) {
            // Nothing interrupts this thread (close() counts down closing instead); end as closed.
        } finally {
            failQueued();
            shutdownConnection();
            // A connect that was under way when close() ran may have set it after close() cleared it.
            connected = false;
        }
    }

    private void runTask(IoTask task) {
        try {
            task.run(this);
        } catch (IOException | ShutdownSignalException e) {
            task.fail(translate(e));
        } catch (RuntimeException e) {
            task.fail(e);
        }
    }

    /** A broker error as a DriverException naming the broker's reason. */
    DriverException translate(Exception e) {
        ShutdownSignalException sig = e instanceof ShutdownSignalException s ? s
                : e.getCause() instanceof ShutdownSignalException s2 ? s2 : null;
        String reason = sig != null && sig.getReason() instanceof AMQP.Channel.Close c
                ? c.getReplyCode() + " " + c.getReplyText()
                : sig != null && sig.getReason() instanceof AMQP.Connection.Close cc
                ? cc.getReplyCode() + " " + cc.getReplyText() : String.valueOf(e.getMessage());
        return new DriverException("broker " + addresses + " refused the operation: " + reason, e);
    }

    private void connect() throws InterruptedException {
        boolean wasConnected = connected;
        // A connection object exists once one was opened: this is a reconnect.
        boolean again = wasConnected || connection != null;
        connected = false;
        shutdownConnection();
        int attempt = 0;
        while (!closed) {
            for (BrokerAddresses.Broker b : addresses.round(lastHost)) {
                if (closed) {
                    return;
                }
                try {
                    Connection c = open(b);
                    lastHost = addresses.hosts().indexOf(b);
                    connection = c;
                    declareAll(c);
                    connected = true;
                    if (attempt > 0 || wasConnected) {
                        LOG.info("connected to RabbitMQ {} after {} failed attempt(s); queues re-declared", b, attempt);
                        events.connected(b.toString(), again);
                    } else {
                        LOG.debug("connected to RabbitMQ {}", b);
                    }
                    outage.recovered();
                    return;
                } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                    // The first failure of an outage is a WARN (and a transport event), and so is one
                    // per rpc.outage_warning_interval after it.
                    if (!outage.inOutage()) {
                        events.outage("cannot connect to RabbitMQ " + b + ": " + e);
                    }
                    outage.failed(b + ": " + e);
                    shutdownConnection();
                }
            }
            double delay = Math.min(retryInterval + attempt * retryBackoff, intervalMax);
            attempt++;
            // close() counts this down: the wait ends without interrupting the thread that owns the connection.
            if (closing.await((long) (delay * 1000), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private Connection open(BrokerAddresses.Broker b) throws IOException, java.util.concurrent.TimeoutException {
        factory.setHost(b.host());
        factory.setPort(b.port());
        factory.setUsername(b.username());
        factory.setPassword(b.password());
        Connection c = factory.newConnection(name);
        c.addBlockedListener(events::blocked, () -> events.blocked(null));
        c.addShutdownListener(cause -> {
            if (!closed && !cause.isInitiatedByApplication()) {
                connected = false;
                String why = cause.getReason() instanceof AMQP.Connection.Close cc
                        ? cc.getReplyCode() + " " + cc.getReplyText() : String.valueOf(cause.getMessage());
                LOG.warn("lost the RabbitMQ connection to {}: {}; reconnecting", b, why);
                events.lost("the connection to " + b + " was lost (" + why + ")");
                // Wake the loop if it waits for a task: it reconnects at once.
                tasks.add(new NoOp());
            }
        });
        return c;
    }

    private void declareAll(Connection c) throws IOException {
        publisher = null;
        declaredExchanges.clear();
        for (Declarable d : declarables) {
            d.declare(c);
        }
    }

    private void shutdownConnection() {
        Publisher p = publisher;
        publisher = null;
        if (p != null) {
            p.failAll("the connection closed before the broker confirmed the message");
        }
        Connection c = connection;
        connection = null;
        if (c != null && c.isOpen()) {
            try {
                c.close(CONNECT_TIMEOUT_MS);
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the RabbitMQ connection: {}", e.toString());
            }
        }
    }

    private void failQueued() {
        IoTask t;
        while ((t = tasks.poll()) != null) {
            t.fail(new DriverException("the rabbit transport " + addresses + " is closed"));
        }
    }

    /** Closes the connection and ends the I/O thread, failing whatever is queued. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        connected = false;
        closing.countDown();
        tasks.add(new NoOp());
        if (Thread.currentThread() != thread) {
            // No interrupt: this thread owns the connection's socket. The back-off wait ends on
            // closing, a task wait on the NoOp, and a connect attempt within CONNECT_TIMEOUT_MS.
            try {
                thread.join(CONNECT_TIMEOUT_MS * 2L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failQueued();
    }

    /** A task that only wakes the loop. */
    private static final class NoOp implements IoTask {
        @Override
        public void run(BrokerConnection io) {
        }

        @Override
        public void fail(Throwable error) {
        }
    }

    /** The failure for a publish the broker returned as unroutable. */
    static DeliveryException unroutable(String exchange, String routingKey) {
        return new DeliveryException("no queue is bound to exchange '" + (exchange.isEmpty() ? "(default)" : exchange)
                + "' with routing key '" + routingKey + "': no server of that target has declared its queue");
    }
}

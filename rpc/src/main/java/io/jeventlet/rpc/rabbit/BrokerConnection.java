package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.ShutdownSignalException;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.OutageLog;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import io.jeventlet.hubs.Greenlet;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection to a broker of a URL, kept up by a reconnect loop,
 * and the single I/O thread that makes every channel call of a driver.
 * Thread-safe: other threads hand it {@link IoTask}s.
 *
 * <p>Lifecycle:
 * <pre>
 * CONNECTING -> CONNECTED    // a broker accepted; every Declarable declared (a refused one is retried alone)
 * CONNECTING -> REFUSED      // every broker refused the login: queued and new tasks fail at once, retries go on
 * REFUSED    -> CONNECTED    // a later attempt was accepted
 * CONNECTED  -> CONNECTING   // the connection was lost (broker stopped, node killed, network, heartbeat)
 * any        -> CLOSED       // close()
 * </pre>
 *
 * <p>Overview: amqp-client channel calls block their thread without regard
 * to interrupts, and a kill or {@code Timeout} delivered to a green thread
 * blocked in a socket write would close the socket under the connection. So
 * no green thread ever touches a channel: they queue an {@link IoTask} and
 * park on a {@link Completion}, and this class's one platform thread runs
 * the tasks in order. A publish or an acknowledgement that nothing can make
 * wait (connected, the channel up and ready, nothing queued before it) is
 * run instead by a platform thread that asks for it, or for a green thread
 * by its hub's carrier ({@link #runHereOrSubmit}): an OS thread hand-off
 * less; the {@code owner} lock keeps one thread at a time on the
 * connection's state. The I/O thread also owns the reconnect loop (the client's
 * automatic recovery is off): on a loss it fails every unconfirmed publish,
 * tells the driver (which ends the calls awaiting replies), then tries the
 * URL's brokers — shuffled once per connection, as oslo does, then
 * round-robin — with back-off; while every broker refuses TCP it probes
 * their ports every 100–250 ms (random), so it is back within a fraction of
 * a second of a broker that returns. Once connected it declares every
 * registered {@link Declarable}; one the broker refuses
 * ({@code PRECONDITION_FAILED}, a queue whose home node is down) is retried
 * alone with back-off while everything else serves. Tasks queued during an
 * outage wait; their callers' own timeouts bound that wait. The queue of
 * tasks is bounded by its producers: every send waits for its own task,
 * and a server's acknowledgements and replies by its prefetch.
 *
 * <p>A broker that blocks the connection (memory or disk alarm) is logged
 * at WARN with its reason and at INFO when it unblocks; {@link #blockedReason()}
 * lets timed-out sends name it.
 *
 * <p>Deliveries, confirms and returns arrive on amqp-client's reader thread
 * (consumer callbacks run there too: {@link DirectDispatch}) and are handed
 * on without blocking it.
 */
final class BrokerConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Set on amqp-client's own threads (reader, heartbeat): they never make channel calls of the driver's. */
    private static final ThreadLocal<Boolean> CLIENT_THREAD = new ThreadLocal<>();
    private static final java.util.concurrent.ThreadFactory CLIENT_THREADS = r ->
            Executors.defaultThreadFactory().newThread(() -> {
                CLIENT_THREAD.set(Boolean.TRUE);
                r.run();
            });
    /** TCP connect and AMQP handshake limit for one broker; the back-off loop retries after it. */
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Limit of one channel RPC (declare, bind, qos): the I/O thread never waits forever for a broker. */
    private static final int CHANNEL_RPC_TIMEOUT_MS = 10_000;
    /** First and largest pause before a refused declaration is tried again. */
    private static final double DECLARE_RETRY_FIRST = 0.25;
    private static final double DECLARE_RETRY_MAX = 2.0;

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

    /** Reconnection and login settings (the {@code rabbit} group's). */
    record Settings(int heartbeatSeconds, SSLContext ssl, double retryInterval, double retryBackoff,
                    double intervalMax, double reconnectDelay, double reconnectSplay, String loginMethod,
                    int maxPendingConfirms, double outageWarningInterval) {}

    private final BrokerAddresses addresses;
    private final ConnectionFactory factory = new ConnectionFactory();
    private final Settings settings;
    private final Events events;
    private final LinkedBlockingQueue<IoTask> tasks = new LinkedBlockingQueue<>();
    /**
     * Held by whoever makes the connection's channel calls: the I/O thread
     * while it connects or runs a task, or a platform thread running a task
     * itself ({@link #runHereOrSubmit}). Guards the I/O-thread state below.
     */
    private final ReentrantLock owner = new ReentrantLock();
    /** Tasks submitted and not yet run (or dropped): a task runs elsewhere only when none waits, to keep their order. */
    private final AtomicInteger queued = new AtomicInteger();
    private final List<Declarable> declarables = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final ScheduledExecutorService timer;
    private final String name;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile BrokerAddresses.Broker current;
    private volatile String blockedReason;
    /** Set while every broker refuses the login: sends fail with it at once. */
    private volatile DriverException refused;
    /** Counted down by close(): ends a back-off wait without an interrupt of this channel-owning thread. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    /** I/O-thread-confined: the WARN lines of an outage, the first at once and then one per interval. */
    private final OutageLog outage;

    // Guarded by owner (the I/O thread's, or a platform thread's running one task).
    private Connection connection;
    private Publisher publisher;
    private int lastHost = -1;
    private final java.util.Set<String> declaredExchanges = new java.util.HashSet<>();

    BrokerConnection(BrokerAddresses addresses, Settings settings, Events events) {
        // oslo shuffles a URL's hosts for each connection, so a cluster's nodes share the clients.
        this.addresses = addresses.shuffledOnce();
        this.outage = new OutageLog(LOG, "RabbitMQ " + this.addresses, settings.outageWarningInterval());
        this.settings = settings;
        this.events = events;
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setRequestedHeartbeat(settings.heartbeatSeconds());
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        factory.setHandshakeTimeout(CONNECT_TIMEOUT_MS);
        factory.setChannelRpcTimeout(CHANNEL_RPC_TIMEOUT_MS);
        // Consumer callbacks run on the reader thread: no hand-off to a consumer pool (see DirectDispatch).
        factory.setSharedExecutor(DirectDispatch.INSTANCE);
        factory.setThreadFactory(CLIENT_THREADS);
        factory.setVirtualHost(addresses.virtualHost());
        if (settings.ssl() != null) {
            factory.useSslProtocol(settings.ssl());
            factory.enableHostnameVerification();
        }
        switch (settings.loginMethod()) {
            case "EXTERNAL" -> {
                if (settings.ssl() == null) {
                    throw new IllegalArgumentException("rabbit.rabbit_login_method = EXTERNAL logs in with the TLS"
                            + " client certificate: set rabbit.ssl = true and rabbit.ssl_cert_file/ssl_key_file");
                }
                factory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
            }
            case "RABBIT-CR-DEMO" -> throw new IllegalArgumentException("rabbit.rabbit_login_method = RABBIT-CR-DEMO"
                    + " is a demonstration mechanism this driver does not offer; use AMQPLAIN, PLAIN or EXTERNAL");
            // AMQPLAIN and PLAIN carry the same user and password; RabbitMQ treats them alike.
            default -> factory.setSaslConfig(DefaultSaslConfig.PLAIN);
        }
        this.name = "jeventlet-rabbit-" + IDS.incrementAndGet();
        this.thread = Thread.ofPlatform().daemon().name(name + "-io").unstarted(this::loop);
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(name + "-timer").factory());
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

    /** Queues {@code task} for the I/O thread; fails it at once when closed or while the login is refused. */
    void submit(IoTask task) {
        if (closed) {
            task.fail(new DriverException("the rabbit transport " + addresses + " is closed"));
            return;
        }
        DriverException r = refused;
        if (r != null && !connected) {
            task.fail(r);
            return;
        }
        queued.incrementAndGet();
        tasks.add(task);
    }

    /**
     * Runs {@code task} without a hand-off to the I/O thread when that
     * cannot wait for the broker, else {@link #submit}s it.
     * {@code publishesTo}: the exchange the task publishes to ({@code ""}
     * the default exchange), or null if it publishes nothing (an
     * acknowledgement).
     *
     * <p>Where it runs: on a platform thread (a hub's main greenlet, a hub
     * callback; never amqp-client's own threads), the caller runs it itself, since the
     * JDK does not close a socket when a platform thread is interrupted. A
     * green thread (a virtual thread, whose interrupt in a socket write
     * would close the connection) never does: it hands the task to its own
     * hub's carrier (a zero-delay hub callback, two green switches rather
     * than an OS thread hand-off) and waits until the carrier ran it or
     * submitted it; a kill or {@code Timeout} reaches it at that wait, never
     * inside a channel call. The task runs here only if nothing can make it
     * wait: connected, not blocked by a resource alarm, no task queued
     * before it, the I/O thread not busy (the {@code owner} lock is free),
     * and for a publish a confirm-mode channel that is up, has room under
     * {@code rabbit_max_pending_confirms} and has declared the exchange;
     * otherwise the I/O thread runs it, in order. What is left that can
     * make it wait is the socket write itself, when the broker stops
     * reading (TCP back-pressure); a resource alarm is announced first and
     * sends the task to the I/O thread.
     */
    void runHereOrSubmit(IoTask task, String publishesTo) {
        if (!Thread.currentThread().isVirtual()) {
            if (!tryRunHere(task, publishesTo)) {
                submit(task);
            }
            return;
        }
        Greenlet me = Greenlet.currentGreen();
        if (me == null || !fastPathOpen()) {
            submit(task);
            return;
        }
        boolean[] handed = new boolean[1];
        me.hub().scheduleCallGlobal(0, () -> {
            try {
                if (Thread.currentThread().isVirtual() || !tryRunHere(task, publishesTo)) {
                    submit(task);
                }
            } finally {
                handed[0] = true;
                me.wake();
            }
        });
        me.waitFor(() -> handed[0]);
    }

    private boolean fastPathOpen() {
        return connected && !closed && blockedReason == null && queued.get() == 0;
    }

    /** Runs {@code task} on the calling platform thread if nothing can make it wait (see runHereOrSubmit). */
    private boolean tryRunHere(IoTask task, String publishesTo) {
        // amqp-client's reader must never write: a write that waits for the broker to read while the broker
        // waits for us to read is a deadlock.
        if (!fastPathOpen() || CLIENT_THREAD.get() != null || !owner.tryLock()) {
            return false;
        }
        try {
            Connection c = connection;
            if (queued.get() != 0 || c == null || !c.isOpen()) {
                return false;
            }
            if (publishesTo != null) {
                Publisher p = publisher;
                if (p == null || !p.open() || p.broken() || p.pendingCount() >= settings.maxPendingConfirms() - 1
                        || !publishesTo.isEmpty() && !declaredExchanges.contains(publishesTo)) {
                    return false;
                }
            }
            if (!task.abandoned()) {
                runTask(task);
            }
            return true;
        } finally {
            owner.unlock();
        }
    }

    /** Queues {@code task} after {@code seconds}. */
    void submitLater(IoTask task, double seconds) {
        if (closed) {
            return;
        }
        try {
            timer.schedule(() -> submit(task), (long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.fail(new DriverException("the rabbit transport " + addresses + " is closed"));
        }
    }

    /** Runs {@code action} after {@code seconds} on the timer thread (never a channel call). */
    void later(Runnable action, double seconds) {
        if (!closed) {
            try {
                timer.schedule(action, (long) (seconds * 1000), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closed meanwhile: nothing to do.
            }
        }
    }

    boolean connected() {
        return connected;
    }

    /** The broker of the current (or last) connection; null before the first. */
    BrokerAddresses.Broker connectedTo() {
        return current;
    }

    /** The broker's reason while it blocks this connection (memory or disk alarm), else null. */
    String blockedReason() {
        return blockedReason;
    }

    String describe() {
        return addresses.toString();
    }

    // ---- for tasks (the thread holding owner: the I/O thread, or one running a task itself) ----

    Connection connection() {
        return connection;
    }

    /**
     * The confirm-mode publishing channel; a channel that nacked or failed a
     * publish is dropped and replaced after {@code kombu_reconnect_delay}
     * (plus up to {@code kombu_reconnect_splay}), as oslo drops its channel
     * on any publish error.
     */
    Publisher publisher() throws IOException {
        Publisher p = publisher;
        if (p != null && p.open() && !p.broken()) {
            return p;
        }
        if (p != null) {
            publisher = null;
            if (p.broken()) {
                LOG.info("dropping the publishing channel to {} after a publish error; a new one in {} s",
                        current, settings.reconnectDelay());
                closeQuietly(p);
                pause(settings.reconnectDelay() + settings.reconnectSplay() * ThreadLocalRandom.current().nextDouble());
            }
        }
        if (connection == null || !connection.isOpen()) {
            throw new IOException("not connected to RabbitMQ " + addresses);
        }
        publisher = new Publisher(connection.createChannel(), settings.maxPendingConfirms());
        declaredExchanges.clear();
        return publisher;
    }

    private static void closeQuietly(Publisher p) {
        try {
            if (p.open()) {
                p.channel().abort();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a publishing channel: {}", e.toString());
        }
        p.failAll("the publishing channel was dropped after a publish error");
    }

    private void pause(double seconds) {
        try {
            closing.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Declares {@code d} again now (a consumer was cancelled, its channel closed); a refusal is retried alone. */
    void redeclare(Declarable d) {
        submit(new IoTask() {
            @Override
            public void run(BrokerConnection io) throws IOException {
                Connection c = connection;
                if (declarables.contains(d) && c != null && c.isOpen()) {
                    declareOrRetry(c, d, 0);
                }
            }

            @Override
            public void fail(Throwable error) {
                LOG.debug("re-declaring {}: {}", d, error.toString());
            }
        });
    }

    // ---- the loop ----

    private void loop() {
        try {
            while (!closed) {
                owner.lock();
                try {
                    if (connection == null || !connection.isOpen()) {
                        connect();
                        continue;
                    }
                } finally {
                    owner.unlock();
                }
                IoTask task = tasks.poll(1, TimeUnit.SECONDS);
                if (task == null) {
                    continue;
                }
                owner.lock();
                try {
                    if (!task.abandoned()) {
                        runTask(task);
                    }
                } finally {
                    queued.decrementAndGet();
                    owner.unlock();
                }
            }
        } catch (InterruptedException e) {
            // Nothing interrupts this thread (close() counts down closing instead); end as closed.
        } finally {
            owner.lock();
            try {
                failQueued(null);
                shutdownConnection();
            } finally {
                owner.unlock();
            }
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

    /**
     * A broker error as a DriverException naming the broker's reason: a
     * lost connection or channel is a {@link Publisher.Retryable}
     * {@link DeliveryException} (documented, and a sender may try again).
     */
    DriverException translate(Exception e) {
        String reason = reason(e);
        if (connection == null || !connection.isOpen() || isChannelLoss(e)) {
            return new Publisher.Retryable("the connection to RabbitMQ " + current + " was lost before the broker"
                    + " took the message: " + reason);
        }
        return new DriverException("broker " + addresses + " refused the operation: " + reason, e);
    }

    private static boolean isChannelLoss(Exception e) {
        ShutdownSignalException sig = signal(e);
        return sig != null && sig.getReason() instanceof AMQP.Connection.Close;
    }

    private static ShutdownSignalException signal(Throwable e) {
        return e instanceof ShutdownSignalException s ? s
                : e.getCause() instanceof ShutdownSignalException s2 ? s2 : null;
    }

    static String reason(Throwable e) {
        ShutdownSignalException sig = signal(e);
        return sig != null && sig.getReason() instanceof AMQP.Channel.Close c
                ? c.getReplyCode() + " " + c.getReplyText()
                : sig != null && sig.getReason() instanceof AMQP.Connection.Close cc
                ? cc.getReplyCode() + " " + cc.getReplyText() : String.valueOf(e.getMessage());
    }

    private void connect() throws InterruptedException {
        boolean wasConnected = connected;
        // A connection object exists once one was opened: this is a reconnect.
        boolean again = wasConnected || connection != null;
        connected = false;
        shutdownConnection();
        int attempt = 0;
        while (!closed) {
            DriverException refusal = null;
            boolean allUnreachable = true;
            for (BrokerAddresses.Broker b : addresses.round(lastHost)) {
                if (closed) {
                    return;
                }
                try {
                    Connection c = open(b);
                    lastHost = addresses.hosts().indexOf(b);
                    connection = c;
                    current = b;
                    declareAll(c);
                    refused = null;
                    connected = true;
                    if (attempt > 0 || wasConnected) {
                        LOG.info("connected to RabbitMQ {} after {} failed round(s); queues declared again", b,
                                attempt);
                        events.connected(b.toString(), again);
                    } else {
                        LOG.debug("connected to RabbitMQ {}", b);
                    }
                    outage.recovered();
                    return;
                } catch (AuthenticationFailureException e) {
                    allUnreachable = false;
                    refusal = new DriverException("RabbitMQ at " + b.hostPort() + " refused the login of user '"
                            + b.username() + "' (" + e.getMessage() + "): check the user and password of the"
                            + " transport URL (rabbit.rabbit_login_method = " + settings.loginMethod() + ")", e);
                    shutdownConnection();
                } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                    allUnreachable &= e instanceof ConnectException;
                    // The first failure of an outage is a WARN (and a transport event), and so is one
                    // per rpc.outage_warning_interval after it.
                    if (!outage.inOutage()) {
                        events.outage("cannot connect to RabbitMQ " + b + ": " + e);
                    }
                    outage.failed(b + ": " + e);
                    shutdownConnection();
                }
            }
            if (refusal != null) {
                if (refused == null) {
                    // Once per outage: the retries go on quietly, and every send fails at once naming it.
                    LOG.error("{}; sends fail at once until a login is accepted (retrying with back-off)",
                            refusal.getMessage());
                }
                refused = refusal;
                failQueued(refusal);
            }
            double delay = Math.min(settings.retryInterval() + attempt * settings.retryBackoff(),
                    settings.intervalMax());
            attempt++;
            waitBeforeRetry(delay, allUnreachable);
        }
    }

    /**
     * Waits {@code delay} seconds before the next round; while every broker
     * refuses TCP ({@code unreachable}) it probes their ports every
     * 100–250 ms (random, so many clients do not arrive at once) and ends
     * the wait as soon as one accepts.
     */
    private void waitBeforeRetry(double delay, boolean unreachable) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (delay * 1e9);
        // close() counts closing down: the waits end without interrupting the thread that owns the connection.
        if (!unreachable) {
            closing.await((long) (delay * 1000), TimeUnit.MILLISECONDS);
            return;
        }
        while (!closed && System.nanoTime() < deadline) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (closing.await(Math.max(1, Math.min(left, 100 + ThreadLocalRandom.current().nextInt(150))),
                    TimeUnit.MILLISECONDS)) {
                return;
            }
            for (BrokerAddresses.Broker b : addresses.hosts()) {
                if (accepts(b)) {
                    return;
                }
            }
        }
    }

    private static boolean accepts(BrokerAddresses.Broker b) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(b.host(), b.port()), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Connection open(BrokerAddresses.Broker b) throws IOException, java.util.concurrent.TimeoutException {
        factory.setHost(b.host());
        factory.setPort(b.port());
        factory.setUsername(b.username());
        factory.setPassword(b.password());
        Connection c = factory.newConnection(name);
        c.addShutdownListener(cause -> {
            blockedReason = null;
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
        c.addBlockedListener(reason -> {
            blockedReason = reason;
            LOG.warn("RabbitMQ {} blocked this connection: {} (a resource alarm); publishes wait until it unblocks"
                    + " or their sender's timeout", b, reason);
            events.blocked(reason);
        }, () -> {
            blockedReason = null;
            LOG.info("RabbitMQ {} unblocked this connection; publishing resumes", b);
            events.blocked(null);
        });
        return c;
    }

    private void declareAll(Connection c) throws IOException {
        publisher = null;
        declaredExchanges.clear();
        for (Declarable d : declarables) {
            declareOrRetry(c, d, 0);
        }
    }

    /**
     * Declares {@code d}; if the broker refuses it while the connection
     * stays up, logs it (ERROR the first time) and tries it again alone
     * after a back-off, so nothing else waits for it. A lost connection is
     * thrown: the reconnect declares everything again.
     */
    private void declareOrRetry(Connection c, Declarable d, int attempt) throws IOException {
        try {
            d.declare(c);
            if (attempt > 0) {
                LOG.info("declared {} on RabbitMQ {} after {} refused attempt(s)", d, current, attempt);
            }
        } catch (IOException | RuntimeException e) {
            if (!c.isOpen()) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            double delay = Math.min(DECLARE_RETRY_FIRST * (1 << Math.min(attempt, 8)), DECLARE_RETRY_MAX);
            if (attempt == 0) {
                LOG.error("RabbitMQ {} refused to declare {}: {}; retrying it alone every {}-{} s while the rest"
                        + " of the transport serves", current, d, reason(e), DECLARE_RETRY_FIRST, DECLARE_RETRY_MAX);
            } else {
                LOG.debug("declaring {} refused again: {}", d, reason(e));
            }
            submitLater(new IoTask() {
                @Override
                public void run(BrokerConnection io) throws IOException {
                    if (declarables.contains(d) && connection == c && c.isOpen()) {
                        declareOrRetry(c, d, attempt + 1);
                    }
                }

                @Override
                public void fail(Throwable error) {
                    LOG.debug("retrying the declaration of {}: {}", d, error.toString());
                }
            }, delay);
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

    private void failQueued(DriverException why) {
        IoTask t;
        while ((t = tasks.poll()) != null) {
            queued.decrementAndGet();
            t.fail(why != null ? why : new DriverException("the rabbit transport " + addresses + " is closed"));
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
        timer.shutdownNow();
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
        failQueued(null);
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

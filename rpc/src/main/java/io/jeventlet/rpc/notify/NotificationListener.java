package io.jeventlet.rpc.notify;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenPool;
import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.InvalidMessage;
import io.jeventlet.rpc.NotificationBus;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.Serializer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.Listener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Receives notifications and hands them to endpoints: oslo.messaging's
 * {@code get_notification_listener} with the eventlet executor. It consumes
 * {@code <topic>.<priority>} of every target for every priority some
 * endpoint has a method for: from the queue of that name (shared with the
 * other pool-less listeners of the key), or, with a {@code pool}, from the
 * queue named after the pool (shared with the pool's other listeners,
 * Python ones included). Each notification runs in its own green thread from
 * a {@link GreenPool} of {@code rpc.executor_thread_pool_size} on the hub of
 * the thread that called {@link #start()}; see {@link NotificationDispatcher}
 * for which endpoint methods run.
 *
 * <p>Results: a notification is acknowledged after its endpoints ran, or
 * given back to its queue when one returned {@link NotificationResult#REQUEUE}
 * (or threw) and {@code allowRequeue} is set. Without {@code allowRequeue}, a
 * {@code REQUEUE} is logged as an error and the notification acknowledged;
 * an endpoint's exception is logged and the listener goes on. A notification
 * acknowledged before (same {@code _unique_id}, a bounded memory) is
 * acknowledged again without running, as oslo's {@code msg_id_cache}.
 *
 * <p>Thread rule: {@link #start()} and {@link #await()} are called on the
 * hub it serves on; {@link #stop()} from any thread. Notifications arrive
 * from the driver on any thread and cross to the hub only through
 * {@code Hub.callThreadsafe}.
 *
 * <p>Lifecycle (as {@code RpcServer}):
 * <pre>
 * NEW -> STARTED       // start(): consuming; returns once a notification sent after it reaches this listener
 * NEW -> STOPPED       // stop() before start()
 * STARTED -> STOPPING  // stop(): no new deliveries; one arriving meanwhile is given back to its queue
 * STOPPING -> STOPPED  // every notification taken has been handled; the bus listener is closed; await() returns
 * </pre>
 *
 * <p>Overview: the driver's handler counts a notification as taken before
 * it checks {@code accepting} (so one racing {@link #stop()} is either given
 * back or keeps the listener in STOPPING until handled) and hands it to the
 * hub, where one consumer green thread feeds the pool (blocking while the
 * pool is full: that is the concurrency bound). Closing the bus listener
 * after the last one is settled gives anything still unacknowledged back to
 * its queue (a broker does this when the channel closes), so a graceful
 * stop loses nothing.
 */
public final class NotificationListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    /** How many recent {@code _unique_id}s are remembered. */
    static final int SEEN_IDS = 4096;
    private static final IncomingMessage END = new IncomingMessage() {
        public byte[] body() {
            return new byte[0];
        }

        public void reply(String replyAddress, byte[] body) {
        }

        public void acknowledge() {
        }

        public void requeue() {
        }
    };

    /** The lifecycle; see the class comment. */
    enum State { NEW, STARTED, STOPPING, STOPPED }

    private final NotificationBus bus;
    private final List<Target> targets;
    private final String pool;
    private final boolean allowRequeue;
    private final Serializer serializer;
    private final NotificationDispatcher dispatcher;
    private final int poolSize;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean accepting;
    private volatile State state = State.NEW;
    private volatile Hub hub;
    private volatile Listener listener;
    private final ConcurrentLinkedQueue<IncomingMessage> queue = new ConcurrentLinkedQueue<>();
    private volatile Greenlet consumer;

    // Hub-confined, created by start().
    private GreenPool greenPool;
    private Event<Boolean> stopped;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_IDS;
        }
    };

    /** A listener without requeueing or serializer; {@code pool} null: none. */
    public NotificationListener(Transport transport, List<Target> targets, List<?> endpoints, String pool) {
        this(transport, targets, endpoints, pool, false, null);
    }

    /** A listener without serializer. */
    public NotificationListener(Transport transport, List<Target> targets, List<?> endpoints, String pool,
                                boolean allowRequeue) {
        this(transport, targets, endpoints, pool, allowRequeue, null);
    }

    /**
     * A listener of {@code targets} (each with a topic; the exchange unset:
     * {@code rpc.control_exchange}) for {@code endpoints}.
     *
     * @throws IllegalArgumentException for no target, a target without topic,
     *         an empty pool name, endpoints without any priority method, or a
     *         malformed endpoint (see {@link NotificationDispatcher})
     */
    public NotificationListener(Transport transport, List<Target> targets, List<?> endpoints, String pool,
                                boolean allowRequeue, Serializer serializer) {
        this.bus = NotificationBus.of(Objects.requireNonNull(transport, "transport"));
        this.targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
        if (this.targets.isEmpty()) {
            throw new IllegalArgumentException("a notification listener needs at least one target");
        }
        for (Target t : this.targets) {
            if (t.topic() == null || t.topic().isEmpty()) {
                throw new IllegalArgumentException("a notification listener's target needs a topic: " + t);
            }
        }
        if (pool != null && pool.isEmpty()) {
            throw new IllegalArgumentException("a notification pool name must not be empty (null: no pool)");
        }
        this.pool = pool;
        this.allowRequeue = allowRequeue;
        this.serializer = serializer != null ? serializer : new Serializer() { };
        this.dispatcher = new NotificationDispatcher(List.copyOf(endpoints), bus.mapper());
        if (dispatcher.priorities().isEmpty()) {
            throw new IllegalArgumentException("no endpoint of " + endpoints + " has a notification method (audit,"
                    + " debug, info, warn, error, critical or sample)");
        }
        this.poolSize = bus.conf().get(RpcOpts.EXECUTOR_THREAD_POOL_SIZE);
    }

    /** The targets listened to. */
    public List<Target> targets() {
        return targets;
    }

    /** The pool, or null. */
    public String pool() {
        return pool;
    }

    State state() {
        return state;
    }

    /** Notifications taken and not yet settled (in transit to the hub, queued or running). */
    public int outstanding() {
        return outstanding.get();
    }

    /**
     * Starts listening on the hub of the calling thread; returns once a
     * notification sent after it reaches this listener. While the bus is
     * unreachable the driver keeps retrying and this does not return (bound it
     * with a {@code Timeout}); if it fails, the listener ends STOPPED.
     *
     * @throws IllegalStateException when not NEW
     */
    public void start() {
        Hub h = Hub.get();
        synchronized (this) {
            if (state != State.NEW) {
                throw new IllegalStateException("NotificationListener for " + targets + " cannot start: it is " + state
                        + " (a listener starts once; make a new one)");
            }
            state = State.STARTED;
            hub = h;
        }
        greenPool = new GreenPool(poolSize);
        stopped = new Event<>();
        Eventlet.spawnN(this::consume);
        accepting = true;
        boolean ok = false;
        try {
            List<String> priorities = new ArrayList<>();
            for (Priority p : dispatcher.priorities()) {
                priorities.add(p.lower());
            }
            listener = bus.listen(targets, priorities, pool, this::onMessage);
            ok = true;
            LOG.info("notification listener for {} {} (pool {}) started on {}", targets, priorities, pool, bus.url());
        } finally {
            if (!ok) {
                stop();
            }
        }
    }

    /** No new notifications; those taken are still handled. Returns at once. Thread-safe; idempotent. */
    public void stop() {
        synchronized (this) {
            if (state == State.NEW) {
                state = State.STOPPED;
                return;
            }
            if (state != State.STARTED) {
                return;
            }
            state = State.STOPPING;
        }
        // The bus stops delivering first: what it hands over meanwhile is still taken and handled, and a
        // delivery refused below never finds this listener among its queue's consumers.
        Listener l = listener;
        if (l != null) {
            try {
                l.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping the bus listener of {} failed: {}", targets, e.toString());
            }
        }
        accepting = false;
        Hub h = hub;
        if (onHub(h)) {
            checkDrained();
        } else {
            h.callThreadsafe(this::checkDrained);
        }
    }

    /**
     * Waits until the listener is stopped and every notification it took
     * is settled. Returns at once for a listener never started.
     *
     * @throws IllegalStateException when called from another hub than the one it serves on
     */
    public void await() {
        Event<Boolean> s = stopped;
        if (s == null) {
            return;
        }
        Hub here = Hub.get();
        if (here != hub) {
            throw new IllegalStateException("NotificationListener.await() called on " + here + ", but the listener"
                    + " for " + targets + " serves on " + hub);
        }
        s.await();
    }

    private static boolean onHub(Hub h) {
        try {
            h.checkConfined();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    // ---- the driver's side: any thread ----

    private void onMessage(IncomingMessage message) {
        outstanding.incrementAndGet();
        if (!accepting) {
            message.requeue();
            outstanding.decrementAndGet();
            hub.callThreadsafe(this::checkDrained);
            return;
        }
        queue.add(message);
        hub.callThreadsafe(this::wakeConsumer);
    }

    // ---- the hub's side ----

    private void consume() {
        consumer = Greenlet.current();
        while (true) {
            consumer.waitForForeign(() -> !queue.isEmpty());
            IncomingMessage m = queue.poll();
            if (m == END) {
                stopped.send(Boolean.TRUE);
                LOG.info("notification listener for {} stopped", targets);
                return;
            }
            greenPool.spawnN(() -> handle(m));
        }
    }

    private void checkDrained() {
        synchronized (this) {
            if (state != State.STOPPING || outstanding.get() != 0) {
                return;
            }
            state = State.STOPPED;
        }
        Listener l = listener;
        if (l != null) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the bus listener of {} failed: {}", targets, e.toString());
            }
        }
        queue.add(END);
        wakeConsumer();
    }

    private void wakeConsumer() {
        Greenlet c = consumer;
        if (c != null) {
            c.wake();
        }
    }

    private void handle(IncomingMessage m) {
        try {
            settle(m);
        } finally {
            outstanding.decrementAndGet();
            checkDrained();
        }
    }

    private void settle(IncomingMessage m) {
        NotificationMessage n;
        Priority priority;
        try {
            n = NotificationMessage.fromWire(bus.decode(m.body()));
            priority = Priority.parse(n.priority());
        } catch (InvalidMessage e) {
            m.acknowledge();
            NotificationCounters.count(null, NotificationCounters.Result.REJECTED);
            LOG.warn("rejecting a notification to {}: {}", targets, e.getMessage());
            return;
        }
        if (priority == null) {
            m.acknowledge();
            NotificationCounters.count(null, NotificationCounters.Result.REJECTED);
            LOG.warn("notification {} ({}) has unknown priority '{}'; acknowledged unhandled", n.messageId(),
                    n.eventType(), n.priority());
            return;
        }
        if (n.uniqueId() != null && seen.containsKey(n.uniqueId())) {
            m.acknowledge();
            LOG.warn("ignoring duplicate notification {} (_unique_id {})", n.messageId(), n.uniqueId());
            return;
        }
        Object requestId = n.context().get("request_id");
        if (requestId != null) {
            MDC.put("request_id", String.valueOf(requestId));
        }
        NotificationDispatcher.Outcome outcome;
        try {
            Context ctx = serializer.deserializeContext(n.context());
            Object payload = serializer.deserializeEntity(ctx, n.payload());
            outcome = dispatcher.dispatch(priority, ctx, n.publisherId(), n.eventType(), payload, n.metadata());
        } catch (RuntimeException e) {
            LOG.error("notification {} ({}) could not be deserialized", n.messageId(), n.eventType(), e);
            outcome = NotificationDispatcher.Outcome.FAILED;
        } finally {
            if (requestId != null) {
                MDC.remove("request_id");
            }
        }
        if (outcome != NotificationDispatcher.Outcome.HANDLED && allowRequeue) {
            m.requeue();
            NotificationCounters.count(priority.lower(), NotificationCounters.Result.REQUEUED);
            return;
        }
        if (outcome == NotificationDispatcher.Outcome.REQUEUE) {
            LOG.error("an endpoint asked to requeue notification {} ({}), but the listener for {} was made without"
                    + " allowRequeue; it is acknowledged", n.messageId(), n.eventType(), targets);
        }
        if (n.uniqueId() != null) {
            seen.put(n.uniqueId(), Boolean.TRUE);
        }
        m.acknowledge();
        NotificationCounters.count(priority.lower(), outcome == NotificationDispatcher.Outcome.FAILED
                ? NotificationCounters.Result.FAILED : NotificationCounters.Result.HANDLED);
    }

    @Override
    public String toString() {
        return "NotificationListener(" + targets + ", pool " + pool + ", " + state + ")";
    }
}

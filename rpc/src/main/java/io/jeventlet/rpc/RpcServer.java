package io.jeventlet.rpc;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenPool;
import io.jeventlet.GreenletExit;
import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.Listener;
import java.lang.reflect.InvocationTargetException;
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
 * Serves requests for a target with a list of endpoints: oslo.messaging's
 * {@code RPCServer} with the eventlet executor. The server consumes the
 * topic (shared round-robin with the topic's other servers),
 * {@code topic.server} and the topic's fanout; each request runs in its own
 * green thread from a {@link GreenPool} of {@code rpc.executor_thread_pool_size}
 * on the hub of the thread that called {@link #start()}. See
 * {@link Dispatcher} for which methods are callable and how arguments bind.
 *
 * <p>Thread rule: {@link #start()} and {@link #await()} are called on the hub
 * the server serves on; {@link #stop()} from any thread. Requests arrive from
 * the driver on any thread and cross to the hub only through
 * {@code Hub.callThreadsafe}.
 *
 * <p>Lifecycle:
 * <pre>
 * NEW -> STARTED       // start(): consuming; returns once a request sent after it reaches this server
 * NEW -> STOPPED       // stop() before start()
 * STARTED -> STOPPING  // stop(): takes no new request (later ones are requeued to the bus)
 * STOPPING -> STOPPED  // every request taken has been answered; await() returns
 * </pre>
 * A stopped server is not restarted: make a new one.
 *
 * <p>Overview: the driver's handler counts a request as taken
 * ({@code outstanding}) before it looks at {@code accepting}, and hands it to
 * the hub; there one consumer green thread moves requests from a
 * queue into the pool (which may block it while the pool is full — never a
 * hub callback). The consumer waits for requests as an outside wait
 * ({@code Greenlet.waitForForeign}): requests come from the driver, from
 * other OS threads, so a started server keeps its hub alive — a main that
 * only serves never ends in {@code LoopExit} — while a virtual clock still
 * jumps to its next timer. Counting before checking means a request
 * racing {@link #stop()} is either requeued or keeps the server in STOPPING
 * until it is answered: STOPPED is reached only when {@code outstanding} is
 * 0, checked on the hub after each request ends. A request is decoded in
 * its pool green thread; one that cannot be decoded is logged, emitted as a
 * {@code DROPPED} transport event ({@code invalid_request}) and answered
 * with the error when it names where to (found by a streaming read of the
 * top level when the body could not be decoded at all, e.g. one larger than
 * {@code rpc.max_message_size}), so the caller never waits out its timeout; one whose {@code _unique_id} was
 * seen recently (a bounded set) is acknowledged, not run again, and emitted
 * as {@code duplicate_request}. While a request runs, its context's
 * {@code request_id} is in the green thread's SLF4J MDC under
 * {@code request_id}; log lines show contexts with secrets masked.
 */
public class RpcServer {
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
    /** How many recent {@code _unique_id}s are remembered for duplicate suppression. */
    static final int SEEN_IDS = 4096;
    /** The MDC key holding the running request's {@code request_id}. */
    public static final String MDC_REQUEST_ID = "request_id";
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

    /** The server's lifecycle; see the class comment for the transitions. */
    enum State { NEW, STARTED, STOPPING, STOPPED }

    private final DriverTransport transport;
    private final Target target;
    private final Dispatcher dispatcher;
    private final Serializer serializer;
    private final java.util.List<RpcInterceptor> interceptors;
    private final Envelope envelope;
    private final int poolSize;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean accepting;
    private volatile State state = State.NEW;
    private volatile Hub hub;
    private volatile Listener listener;

    // Hub-confined, created by start().
    private GreenPool pool;
    /** Requests handed over by the driver, in arrival order; the consumer greenlet drains it. */
    private final ConcurrentLinkedQueue<IncomingMessage> queue = new ConcurrentLinkedQueue<>();
    private volatile Greenlet consumer;
    private Event<Boolean> stopped;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_IDS;
        }
    };

    /**
     * A server for {@code target} (a topic and a server name) with
     * {@code endpoints}, each scanned once here.
     *
     * @throws IllegalArgumentException for a target without topic or server, or
     *         an endpoint whose parameter names cannot be known (see {@link Dispatcher})
     */
    public RpcServer(Transport transport, Target target, List<?> endpoints) {
        this(transport, target, endpoints, RpcClient.NO_SERIALIZER);
    }

    /**
     * A server as {@link #RpcServer(Transport, Target, List)} whose requests'
     * argument values and context, and whose results, go through
     * {@code serializer} (see {@link Serializer}).
     */
    public RpcServer(Transport transport, Target target, List<?> endpoints, Serializer serializer) {
        this.transport = DriverTransport.of(Objects.requireNonNull(transport, "transport"));
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.interceptors = InterceptedTransport.interceptorsOf(transport);
        this.target = Objects.requireNonNull(target, "target");
        if (target.topic() == null || target.topic().isEmpty() || target.server() == null || target.server().isEmpty()) {
            throw new IllegalArgumentException("an RPC server's target needs a topic and a server name: " + target);
        }
        this.envelope = this.transport.envelope();
        this.dispatcher = new Dispatcher(endpoints, envelope.mapper());
        this.poolSize = this.transport.conf().get(RpcOpts.EXECUTOR_THREAD_POOL_SIZE);
    }

    /** The target served. */
    public Target target() {
        return target;
    }

    State state() {
        return state;
    }

    /** Requests taken and not yet answered (in transit to the hub, queued or running). */
    public int outstanding() {
        return outstanding.get();
    }

    /**
     * Starts serving on the hub of the calling thread; returns once a request
     * sent after it will reach this server. While the bus is unreachable the
     * driver keeps retrying and this does not return (bound it with a
     * {@code Timeout}); if it fails or is interrupted, the server ends STOPPED.
     *
     * @throws IllegalStateException when not NEW
     */
    public void start() {
        Hub h = Hub.get();
        synchronized (this) {
            if (state != State.NEW) {
                throw new IllegalStateException("RpcServer for " + target + " cannot start: it is " + state
                        + " (a server starts once; make a new one)");
            }
            state = State.STARTED;
            hub = h;
        }
        pool = new GreenPool(poolSize);
        stopped = new Event<>();
        Eventlet.spawnN(this::consume);
        accepting = true;
        boolean ok = false;
        try {
            listener = transport.listen(target, this::onMessage);
            ok = true;
            LOG.info("RPC server for {} started on {} (pool of {})", target, transport.url(), poolSize);
        } finally {
            if (!ok) {
                stop();
            }
        }
    }

    /**
     * Takes no new requests; those already taken are still answered. Returns
     * at once; {@link #await()} waits for them. Thread-safe; idempotent.
     */
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
        accepting = false;
        Listener l = listener;
        if (l != null) {
            try {
                l.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping the listener of {} failed: {}", target, e.toString());
            }
        }
        LOG.info("RPC server for {} stopping; {} request(s) still to answer", target, outstanding.get());
        Hub h = hub;
        if (onHub(h)) {
            checkDrained();
        } else {
            h.callThreadsafe(this::checkDrained);
        }
    }

    /**
     * Waits until the server is stopped and every request it took has been
     * answered. Returns at once for a server never started.
     *
     * @throws IllegalStateException when called from another hub than the one
     *         the server serves on
     */
    public void await() {
        Event<Boolean> s = stopped;
        if (s == null) {
            return;
        }
        Hub here = Hub.get();
        if (here != hub) {
            throw new IllegalStateException("RpcServer.await() called on " + here + ", but the server for " + target
                    + " serves on " + hub + ": await it there (its state is hub-confined)");
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

    // ---- the driver's side: any thread ------------------------------------------------------

    private void onMessage(IncomingMessage message) {
        // Count first, then check: see the class comment for why no request is lost to a racing stop().
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

    // ---- the hub's side ---------------------------------------------------------------------

    private void consume() {
        consumer = Greenlet.current();
        while (true) {
            Greenlet me = consumer;
            me.waitForForeign(() -> !queue.isEmpty());
            IncomingMessage m = queue.poll();
            if (m == END) {
                // The last green thread of the server: await() returns once it has ended.
                stopped.send(Boolean.TRUE);
                LOG.info("RPC server for {} stopped", target);
                return;
            }
            pool.spawnN(() -> handle(m));
        }
    }

    /** Hub-confined: moves STOPPING to STOPPED once nothing taken is left. */
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
                LOG.warn("closing the listener of {} failed: {}", target, e.toString());
            }
        }
        queue.add(END);
        wakeConsumer();
    }

    /** Hub-confined. */
    private void wakeConsumer() {
        Greenlet c = consumer;
        if (c != null) {
            c.wake();
        }
    }

    private void handle(IncomingMessage m) {
        try {
            RequestMessage request = decode(m);
            if (request == null) {
                return;
            }
            if (request.uniqueId() != null && seen.put(request.uniqueId(), Boolean.TRUE) != null) {
                m.acknowledge();
                transport.events().dropped("duplicate_request", "request " + request.msgId() + " (_unique_id "
                        + request.uniqueId() + ") for method " + request.method() + " was seen before");
                LOG.warn("ignoring duplicate request {} (_unique_id {}) for method {}", request.msgId(),
                        request.uniqueId(), request.method());
                return;
            }
            m.acknowledge();
            run(m, request);
        } finally {
            outstanding.decrementAndGet();
            checkDrained();
        }
    }

    /** The request in {@code m}, or null after logging, counting and (when possible) answering the error. */
    private RequestMessage decode(IncomingMessage m) {
        Map<String, Object> raw = null;
        try {
            raw = envelope.decode(m.body());
            return RequestMessage.fromWire(raw);
        } catch (InvalidMessage e) {
            m.acknowledge();
            transport.events().dropped("invalid_request", "request to " + target + ": " + e.getMessage());
            LOG.warn("rejecting a request to {}: {}", target, e.getMessage());
            String msgId = null;
            String replyQ = null;
            if (raw != null) {
                msgId = raw.get("_msg_id") instanceof String id ? id : null;
                replyQ = raw.get("_reply_q") instanceof String q ? q : null;
            } else {
                // Not decoded at all (too large, too deep, not JSON): find where to answer without building the tree.
                Envelope.Routing routing = envelope.routing(m.body());
                if (routing != null) {
                    msgId = routing.msgId();
                    replyQ = routing.replyQ();
                }
            }
            if (msgId != null && replyQ != null) {
                send(m, replyQ, ReplyMessage.failure(msgId, Failure.of(e)));
            }
            return null;
        }
    }

    private void run(IncomingMessage m, RequestMessage request) {
        Object requestId = request.context().get(MDC_REQUEST_ID);
        if (requestId != null) {
            MDC.put(MDC_REQUEST_ID, String.valueOf(requestId));
        }
        Event<Boolean> done = null;
        double interval = request.isCall() ? request.heartbeatInterval() : 0;
        if (interval > 0) {
            Event<Boolean> d = new Event<>();
            done = d;
            Object rid = requestId;
            Eventlet.spawnN(() -> {
                if (rid != null) {
                    MDC.put(MDC_REQUEST_ID, String.valueOf(rid));
                }
                heartbeat(m, request, d, interval);
            });
        }
        try {
            if (LOG.isDebugEnabled()) {
                LOG.debug("running {} (msg_id {}) {}", request.method(), request.msgId(), request.context());
            }
            ReplyMessage reply;
            EndpointCall call = new EndpointCall();
            try {
                Object result = invoke(request, call);
                reply = request.isCall() ? ReplyMessage.result(request.msgId(), result) : null;
            } catch (Throwable t) {
                log(request, t, call.thrown == t);
                reply = request.isCall() ? ReplyMessage.failure(request.msgId(), Failure.of(t)) : null;
                if (t instanceof GreenletExit exit) {
                    // The request's green thread was killed: the caller still gets an answer, the kill goes on.
                    answer(m, request, reply);
                    throw exit;
                }
            }
            answer(m, request, reply);
        } finally {
            if (done != null) {
                done.send(Boolean.TRUE);
            }
            if (requestId != null) {
                MDC.remove(MDC_REQUEST_ID);
            }
        }
    }

    /** What the endpoint method itself threw, to tell it from a refusal by dispatch, binding or an interceptor. */
    private static final class EndpointCall {
        Throwable thrown;
    }

    /**
     * Deserializes the request, lets dispatch choose the endpoint, runs the
     * interceptors (if any) around the method, and returns the serialized
     * result. The method's own exception is rethrown as itself (recorded in
     * {@code call}), so interceptors observe it unwrapped.
     */
    private Object invoke(RequestMessage request, EndpointCall call) {
        Context ctx = request.context();
        Map<String, Object> args = request.args();
        if (serializer != RpcClient.NO_SERIALIZER) {
            ctx = serializer.deserializeContext(ctx.asMap());
            Map<String, Object> values = new LinkedHashMap<>();
            Context c = ctx;
            args.forEach((k, v) -> values.put(k, serializer.deserializeEntity(c, v)));
            args = values;
        }
        Dispatcher.Choice choice = dispatcher.choose(request.namespace(), request.version(), request.method());
        Object result;
        if (interceptors.isEmpty()) {
            result = callEndpoint(choice, ctx, args, call);
        } else {
            Invocation inv = new Invocation(Invocation.Side.SERVER, requestTarget(request), request.method(), ctx, args,
                    !request.isCall(), callTimeout(request), choice.endpointName());
            result = Interceptors.run(interceptors, inv, i -> callEndpoint(choice, i.context(), i.args(), call));
        }
        return serializer == RpcClient.NO_SERIALIZER ? result : serializer.serializeEntity(ctx, result);
    }

    private Object callEndpoint(Dispatcher.Choice choice, Context ctx, Map<String, Object> args, EndpointCall call) {
        try {
            return dispatcher.invoke(choice, ctx, args);
        } catch (InvocationTargetException e) {
            call.thrown = e.getCause();
            throw Sneaky.<RuntimeException>rethrow(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("endpoint method " + choice.endpointName() + "." + choice.method()
                    + " cannot be invoked: " + e.getMessage(), e);
        }
    }

    /** The server's target with the request's namespace and version (a version of another form: unset). */
    private Target requestTarget(RequestMessage request) {
        Target t = target.withNamespace(request.namespace());
        try {
            return t.withVersion(request.version());
        } catch (IllegalArgumentException e) {
            return t;
        }
    }

    /** The caller's {@code _timeout} in seconds, 0 when it sent none. */
    private static double callTimeout(RequestMessage request) {
        return request.timeout() instanceof Number n && n.doubleValue() >= 0 ? n.doubleValue() : 0;
    }

    /** Logs a failed request: the method's own exception at ERROR (DEBUG when expected), a refusal at WARN. */
    private void log(RequestMessage request, Throwable t, boolean fromEndpoint) {
        if (fromEndpoint) {
            if (t instanceof ExpectedException) {
                LOG.debug("expected exception from {}: {}", request.method(), String.valueOf(t.getCause()));
            } else {
                LOG.error("exception during message handling: method {} {}", request.method(), request.context(), t);
            }
        } else if (t instanceof NoSuchMethod || t instanceof UnsupportedVersion || t instanceof IllegalArgumentException) {
            LOG.warn("cannot run {} {}: {}", request.method(), request.context(), t.getMessage());
        } else {
            LOG.error("request {} {} failed outside its method (serializer or interceptor)", request.method(),
                    request.context(), t);
        }
    }

    private void answer(IncomingMessage m, RequestMessage request, ReplyMessage reply) {
        if (reply != null) {
            send(m, request.replyQ(), reply);
        }
    }

    /** oslo's call-monitor watchdog: a heartbeat every {@code interval} until the request ends. */
    private void heartbeat(IncomingMessage m, RequestMessage request, Event<Boolean> done, double interval) {
        while (done.await(interval) == null) {
            LOG.debug("sending call-monitor heartbeat for active call to {} (interval={})", request.method(), interval);
            send(m, request.replyQ(), ReplyMessage.heartbeat(request.msgId()));
        }
    }

    /** Encodes and sends a reply; a result that cannot be encoded is answered with that error instead. */
    private void send(IncomingMessage m, String replyQ, ReplyMessage reply) {
        byte[] body;
        try {
            body = envelope.encode(reply.toWire(envelope));
        } catch (InvalidMessage e) {
            LOG.warn("reply to {} cannot be sent: {}", reply.msgId(), e.getMessage());
            body = envelope.encode(ReplyMessage.failure(reply.msgId(), Failure.of(e)).toWire(envelope));
        }
        try {
            m.reply(replyQ, body, reply.ending());
        } catch (RuntimeException e) {
            LOG.warn("sending the reply to {} at {} failed: {}", reply.msgId(), replyQ, e.toString());
        }
    }

    @Override
    public String toString() {
        return "RpcServer(" + target + ", " + state + ")";
    }
}

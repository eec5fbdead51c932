package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.Ids;
import io.jeventlet.rpc.spi.MonotonicClock;
import io.jeventlet.Event;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.TransportEvents;
import io.jeventlet.rpc.spi.TransportOpts;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver;
import io.jeventlet.rpc.spi.OutageLog;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.ReplyHandler;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The {@code zmq://HOST:PORT[,HOST:PORT...]} driver: clients and servers of
 * one transport reach every proxy of the URL through one DEALER socket each.
 * Thread-safe (the SPI's rule): any hub's green threads may send and listen.
 *
 * <p>Overview: the driver's {@link SocketOwners} — platform threads of its
 * own — own the two sockets of each {@link ProxyLink}.
 * Callers never touch a socket: they queue frames on a link and wake it. The
 * driver's reply address (the {@code _reply_q} of its calls) names it in
 * envelopes and logs only: at each proxy its address is its link's identity
 * there, and a reply comes back through the proxy that routed the call. A request goes through one live proxy, chosen round robin; a call
 * is remembered in {@code inFlight} until its reply, NOROUTE or ERROR, so
 * that when its proxy goes down it is re-sent once through another live proxy
 * (the server drops a duplicate by {@code _unique_id}), or failed at once
 * with {@link DeliveryException} when none is left. A server's
 * registrations are sent to every proxy, renewed each heartbeat, and sent
 * again the moment a proxy comes (back) up; {@link #listen} returns once one
 * proxy has acknowledged.
 *
 * <p>Invariant: every call handed to {@link #send} ends with a reply, an
 * {@link ReplyHandler#onUndeliverable} or its own timeout at the caller; a
 * call's entry in {@code inFlight} outlives its timeout by at most one
 * heartbeat.
 */
final class ZmqDriver implements Driver, NotificationDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqDriver.class);

    /** A call waiting for its answer: the link it went out on, the frames to re-send, when to forget it. */
    private record InFlight(ProxyLink link, byte[][] frames, double forgetAt, boolean resent, long tried, String origin) {
        InFlight(ProxyLink link, byte[][] frames, double forgetAt, boolean resent, long tried) {
            this(link, frames, forgetAt, resent, tried, null);
        }
    }

    /** The listeners of one {@code (topic, server)} and whether a proxy has acknowledged it. */
    private static final class Registration {
        final String topic;
        final String server;
        final byte[][] register;
        final List<ZmqListener> listeners = new CopyOnWriteArrayList<>();
        final List<Runnable> ackWaiters = new CopyOnWriteArrayList<>();
        final AtomicInteger cursor = new AtomicInteger();
        volatile boolean acked;
        /** Why a proxy refused the registration (rpc_zmq.curve_serve_acl), or null. */
        volatile String refusal;

        Registration(String topic, String server, long ttlMs) {
            this.topic = topic;
            this.server = server;
            this.register = ZmqProtocol.message(ZmqProtocol.REGISTER, "", topic, server, Long.toString(ttlMs));
        }
    }

    private final TransportUrl url;
    private final ReplyHandler replies;
    private final String replyAddress = "jz-" + Ids.uuidHex();
    private final ZContext context = new ZContext(1);
    private final SocketOwners socketOwners;
    private final List<ProxyLink> links = new ArrayList<>();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final List<Runnable> upWaiters = new CopyOnWriteArrayList<>();
    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final DropLog drops;
    private final long maxBody;
    private final double heartbeatInterval;
    private final double registrationTtl;
    private final double connectTimeout;
    private final double outageWarningInterval;
    private final CurveKeys curve;
    private final int queueHwm;
    private final double handshakeTimeout;
    private final TransportEvents events;
    private final ZmqNotifications notifications;

    ZmqDriver(TransportUrl url, DriverContext ctx) {
        this.url = url;
        this.replies = ctx.replies();
        this.maxBody = ctx.conf().get(TransportOpts.MAX_MESSAGE_SIZE);
        this.heartbeatInterval = ctx.conf().get(ZmqOpts.HEARTBEAT_INTERVAL);
        this.registrationTtl = ctx.conf().get(ZmqOpts.REGISTRATION_TTL);
        this.connectTimeout = ctx.conf().get(ZmqOpts.CONNECT_TIMEOUT);
        this.queueHwm = ctx.conf().get(ZmqOpts.QUEUE_HWM);
        this.handshakeTimeout = ctx.conf().get(ZmqOpts.HANDSHAKE_TIMEOUT);
        this.outageWarningInterval = ctx.conf().get(TransportOpts.OUTAGE_WARNING_INTERVAL);
        if (registrationTtl <= heartbeatInterval) {
            throw new IllegalArgumentException("rpc_zmq.registration_ttl (" + registrationTtl
                    + " s) must be longer than rpc_zmq.heartbeat_interval (" + heartbeatInterval + " s)");
        }
        this.curve = CurveKeys.forPeer(ctx.conf());
        this.notifications = new ZmqNotifications(this, connectTimeout);
        this.events = ctx.events();
        this.drops = new DropLog(LOG, "zmq driver " + replyAddress, events);
        context.setLinger(0);
        for (TransportUrl.Host h : url.hosts()) {
            if (h.port() <= 0) {
                throw new IllegalArgumentException("transport URL '" + url + "' names host '" + h.hostname()
                        + "' without a port; zmq:// needs HOST:PORT of each proxy");
            }
            String host = h.hostname().contains(":") ? "[" + h.hostname() + "]" : h.hostname();
            if (links.size() == 64) {
                throw new IllegalArgumentException("transport URL '" + url + "' names more than 64 proxies");
            }
            links.add(new ProxyLink(this, links.size(), "tcp://" + host + ":" + h.port()));
        }
        socketOwners = new SocketOwners("jeventlet-zmq-driver");
        for (ProxyLink link : links) {
            socketOwners.spawnOwner(link + " (receiving)", link::runReceiver);
            socketOwners.spawnOwner(link + " (sending)", link::runSender);
        }
    }

    // ---- what links read ---------------------------------------------------------------------------

    ZContext context() {
        return context;
    }

    long maxBody() {
        return maxBody;
    }

    double heartbeatInterval() {
        return heartbeatInterval;
    }

    double registrationTtl() {
        return registrationTtl;
    }

    CurveKeys curve() {
        return curve;
    }

    int queueHwm() {
        return queueHwm;
    }

    double handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Where bus-level events of this transport go (a link's loss and return, every drop). */
    TransportEvents events() {
        return events;
    }

    boolean closing() {
        return closing.get();
    }

    /** The REGISTER messages to renew. */
    List<byte[][]> registrations() {
        List<byte[][]> out = new ArrayList<>(registrations.size());
        for (Registration r : registrations.values()) {
            out.add(r.register);
        }
        return out;
    }

    /** Counters of what this driver dropped, by reason (for tests and reports). */
    Map<String, Long> stats() {
        return drops.snapshot();
    }

    /** True when some proxy of the URL answers (for tests). */
    boolean anyProxyUp() {
        return pickLink() != null;
    }

    /** The threads that own the sockets (for tests: none may outlive close). */
    List<Thread> socketThreads() {
        return socketOwners.threads();
    }

    /** This driver's address at the {@code index}-th proxy of its URL (what its servers see as caller); null before WELCOME. */
    String addressAt(int index) {
        return links.get(index).address();
    }

    // ---- Driver -------------------------------------------------------------------------------------

    @Override
    public String replyAddress() {
        return replyAddress;
    }

    @Override
    public void send(Address target, OutgoingMessage message) {
        checkOpen();
        String topic = target.topic();
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("zmq driver: target " + target + " has no topic");
        }
        String server = target.fanout() || target.server() == null ? "" : target.server();
        checkName("topic", topic);
        checkName("server", server);
        if (message.body().length > maxBody) {
            throw new DeliveryException("message to topic '" + topic + "' is " + message.body().length
                    + " bytes; rpc.max_message_size allows " + maxBody);
        }
        byte[][] frames;
        if (target.fanout()) {
            frames = ZmqProtocol.message(ZmqProtocol.FANOUT, "", topic, "", message.body());
        } else if (message.isCall()) {
            checkName("msg_id", message.msgId());
            frames = ZmqProtocol.message(ZmqProtocol.CALL, message.msgId(), topic, server,
                    Long.toString(timeoutMillis(message.timeoutSeconds())), message.body());
        } else {
            frames = ZmqProtocol.message(ZmqProtocol.CAST, "", topic, server, message.body());
        }
        double wait = message.isCall() ? Math.min(message.timeoutSeconds(), connectTimeout) : connectTimeout;
        ProxyLink link = awaitLink(wait);
        if (message.isCall() && !target.fanout()) {
            double forgetAt = now() + message.timeoutSeconds() + heartbeatInterval;
            inFlight.put(message.msgId(), new InFlight(link, frames, forgetAt, false, link.bit()));
        }
        if (!link.enqueue(frames) && !enqueueWhenRoom(link, frames, wait)) {
            if (message.isCall()) {
                inFlight.remove(message.msgId());
            }
            drops.drop("send_queue_full", "request to topic '" + topic + "' through " + link.endpoint
                    + ": the outbound queue held rpc_zmq.queue_hwm messages for " + wait + " s");
            throw new DeliveryException("zmq link to " + link.endpoint + " has had " + queueHwm
                    + " messages queued (rpc_zmq.queue_hwm) for " + wait + " s: the request to topic '" + topic
                    + "' was not sent");
        }
    }

    /**
     * Back-pressure: waits cooperatively, up to {@code seconds}, for the
     * link's full outbound queue to drain to half, then queues {@code frames};
     * false when it did not drain in time.
     */
    private boolean enqueueWhenRoom(ProxyLink link, byte[][] frames, double seconds) {
        double deadline = now() + seconds;
        while (true) {
            checkOpen();
            double left = deadline - now();
            if (left <= 0) {
                return false;
            }
            Event<Boolean> room = new Event<>();
            Runnable waiter = wakerFor(Hub.get(), room);
            link.addRoomWaiter(waiter);
            try {
                if (!link.hasRoom()) {
                    room.await(Math.min(left, heartbeatInterval));
                }
            } finally {
                link.removeRoomWaiter(waiter);
            }
            if (link.enqueue(frames)) {
                return true;
            }
        }
    }

    /** A call's timeout as the CALL frame carries it: whole milliseconds, rounded up; 0 for none. */
    static long timeoutMillis(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            return 0;
        }
        return (long) Math.min(ZmqProtocol.MAX_TTL_MS, Math.ceil(seconds * 1000));
    }

    @Override
    public Listener listen(Address target, IncomingHandler handler) {
        checkOpen();
        String topic = target.topic();
        String server = target.server();
        if (topic == null || topic.isEmpty() || server == null || server.isEmpty()) {
            throw new IllegalArgumentException("zmq driver: a server's target needs a topic and a server; got " + target);
        }
        checkName("topic", topic);
        checkName("server", server);
        long ttlMs = (long) (registrationTtl * 1000);
        Registration reg = registrations.computeIfAbsent(topic + "\u0000" + server, k -> new Registration(topic, server, ttlMs));
        ZmqListener listener = new ZmqListener(this, topic + "\u0000" + server, handler);
        reg.listeners.add(listener);
        for (ProxyLink link : links) {
            if (link.up()) {
                link.enqueue(reg.register);
            }
        }
        awaitAck(reg, target, listener);
        return listener;
    }

    @Override
    public void sendNotification(String exchange, String routingKey, byte[] body, int retry) {
        checkOpen();
        notifications.send(exchange, routingKey, body, retry);
    }

    @Override
    public Listener listenForNotifications(List<Binding> bindings, String pool, IncomingHandler handler) {
        checkOpen();
        return notifications.listen(bindings, pool, handler);
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (ProxyLink link : links) {
            link.wake();
        }
        socketOwners.close(5);
        context.close();
        for (String msgId : List.copyOf(inFlight.keySet())) {
            if (inFlight.remove(msgId) != null) {
                replies.onUndeliverable(msgId, new DriverException("the zmq transport " + url + " was closed"));
            }
        }
        upWaiters.forEach(Runnable::run);
        for (Registration r : registrations.values()) {
            r.ackWaiters.forEach(Runnable::run);
        }
    }

    private void checkOpen() {
        if (closing.get()) {
            throw new DriverException("the zmq transport " + url + " is closed");
        }
    }

    private static void checkName(String what, String value) {
        if (ZmqProtocol.bytes(value).length > ZmqProtocol.MAX_NAME) {
            throw new IllegalArgumentException("zmq driver: " + what + " '" + value.substring(0, 32) + "...' is longer than "
                    + ZmqProtocol.MAX_NAME + " bytes");
        }
    }

    private static double now() {
        return MonotonicClock.seconds();
    }

    // ---- waiting for a proxy -----------------------------------------------------------------------

    private ProxyLink pickLink() {
        int n = links.size();
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            ProxyLink l = links.get((start + i) % n);
            if (l.up()) {
                return l;
            }
        }
        return null;
    }

    /** A live link, waiting cooperatively up to {@code seconds} for one. */
    ProxyLink awaitLink(double seconds) {
        ProxyLink link = pickLink();
        if (link != null) {
            return link;
        }
        double deadline = now() + seconds;
        while (true) {
            checkOpen();
            double left = deadline - now();
            if (left <= 0) {
                throw new DeliveryException("no proxy of " + url + " is reachable (waited " + seconds + " s)");
            }
            Event<Boolean> ready = new Event<>();
            Runnable waiter = wakerFor(Hub.get(), ready);
            upWaiters.add(waiter);
            try {
                link = pickLink();
                if (link != null) {
                    return link;
                }
                ready.await(Math.min(left, heartbeatInterval));
            } finally {
                upWaiters.remove(waiter);
            }
            link = pickLink();
            if (link != null) {
                return link;
            }
        }
    }

    /**
     * Waits for a proxy to acknowledge {@code reg}. A kill or {@code Timeout}
     * of the caller ends the wait (it parks in an {@link Event}, never in a
     * socket call: the sockets belong to their owners on the socket hub), and
     * then {@code listener} is withdrawn, so an abandoned listen leaves no
     * registration behind. While no proxy answers, the outage is logged at
     * WARN after {@code connect_timeout}, then every
     * {@code rpc.outage_warning_interval}, with each proxy's latest problem.
     */
    private void awaitAck(Registration reg, Address target, ZmqListener listener) {
        double start = now();
        OutageLog outage = null;
        boolean ok = false;
        try {
            while (!reg.acked) {
                checkOpen();
                if (reg.refusal != null) {
                    throw new DriverException("zmq proxy refused server " + target + ": " + reg.refusal);
                }
                Event<Boolean> acked = new Event<>();
                Runnable waiter = wakerFor(Hub.get(), acked);
                reg.ackWaiters.add(waiter);
                try {
                    if (!reg.acked && reg.refusal == null) {
                        acked.await(heartbeatInterval);
                    }
                } finally {
                    reg.ackWaiters.remove(waiter);
                }
                if (!reg.acked && now() - start > connectTimeout) {
                    if (outage == null) {
                        outage = new OutageLog(LOG, "a zmq proxy of " + url + " to register server " + target,
                                outageWarningInterval);
                        LOG.debug("socket owners of {}:\n{}", this, socketOwners.dump());
                    }
                    outage.failed(linkProblems());
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                unlisten(listener);
            }
        }
        if (outage != null) {
            outage.recovered();
        }
    }

    /** Why each proxy is not answering, for an outage's log line. */
    private String linkProblems() {
        StringBuilder sb = new StringBuilder();
        for (ProxyLink l : links) {
            sb.append(sb.isEmpty() ? "" : "; ").append(l.endpoint).append(": ").append(l.up() ? "up" : l.problem());
        }
        return sb.toString();
    }

    /** A callback, safe from any thread, that wakes {@code event} on its own hub. */
    private static Runnable wakerFor(Hub hub, Event<Boolean> event) {
        return () -> hub.callThreadsafe(() -> {
            if (!event.ready()) {
                event.send(Boolean.TRUE);
            }
        });
    }

    // ---- called by the link owners (on the socket hub) -------------------------------------------

    void linkUp(ProxyLink link) {
        for (Registration r : registrations.values()) {
            link.enqueue(r.register);
        }
        upWaiters.forEach(Runnable::run);
    }

    void linkDown(ProxyLink link) {
        for (Map.Entry<String, InFlight> e : inFlight.entrySet()) {
            InFlight f = e.getValue();
            if (f.link() != link) {
                continue;
            }
            ProxyLink other = f.resent() ? null : pickLink();
            if (other != null && inFlight.replace(e.getKey(), f,
                    new InFlight(other, f.frames(), f.forgetAt(), true, f.tried() | other.bit()))) {
                if (!other.enqueue(f.frames())) {
                    unsent(other, f.frames(), "its outbound queue is full (rpc_zmq.queue_hwm)");
                }
            } else if (inFlight.remove(e.getKey(), f)) {
                replies.onUndeliverable(e.getKey(), new DeliveryException("zmq proxy " + link.endpoint
                        + " went away while call " + e.getKey() + " was in flight, and no other proxy of " + url + " is live"));
            }
        }
    }

    /** A message the link could not send ({@code why}): a call's caller is told at once, the rest counted. */
    void unsent(ProxyLink link, byte[][] frames, String why) {
        String type = ZmqProtocol.text(frames[1]);
        String msgId = ZmqProtocol.text(frames[2]);
        drops.drop("send_queue_full", type + " to " + link.endpoint + ": " + why);
        if (type.equals(ZmqProtocol.CALL) && inFlight.remove(msgId) != null) {
            replies.onUndeliverable(msgId, new DeliveryException("zmq proxy " + link.endpoint
                    + " is not taking messages (" + why + "); call " + msgId + " was not sent"));
        }
    }

    void sweepInFlight() {
        double now = now();
        inFlight.values().removeIf(f -> f.forgetAt() < now);
    }

    /** A message from a proxy. */
    void received(ProxyLink link, List<byte[]> frames) {
        long total = 0;
        for (byte[] f : frames) {
            total += f.length;
        }
        if (total > maxBody + ZmqProtocol.FRAME_OVERHEAD) {
            refuse(link, frames, "oversized", "message from " + link.endpoint + " is " + total
                    + " bytes; rpc.max_message_size allows " + maxBody + " of body");
            return;
        }
        String problem = ZmqProtocol.checkShape(frames, false);
        if (problem != null) {
            refuse(link, frames, problem.startsWith("unsupported protocol version") ? "bad_version" : "malformed",
                    "from " + link.endpoint + ": " + problem);
            return;
        }
        String type = ZmqProtocol.text(frames.get(1));
        String msgId = ZmqProtocol.text(frames.get(2));
        switch (type) {
            case ZmqProtocol.PONG -> {
                // Liveness only: the link noted it.
            }
            case ZmqProtocol.REGISTERED -> registered(ZmqProtocol.text(frames.get(3)), ZmqProtocol.text(frames.get(4)), null);
            case ZmqProtocol.REFUSED -> registered(ZmqProtocol.text(frames.get(3)), ZmqProtocol.text(frames.get(4)),
                    ZmqProtocol.text(frames.get(5)));
            case ZmqProtocol.REPLY -> reply(link, msgId, ZmqProtocol.text(frames.get(3)), frames.get(4), frames.get(5));
            case ZmqProtocol.NOROUTE -> {
                if (expected(link, msgId, null, "NOROUTE") != null) {
                    noRoute(msgId, ZmqProtocol.text(frames.get(3)));
                }
            }
            case ZmqProtocol.ERROR -> {
                String origin = ZmqProtocol.text(frames.get(3));
                InFlight f = expected(link, msgId, origin.isEmpty() ? null : origin, "ERROR");
                if (f != null && inFlight.remove(msgId, f)) {
                    replies.onUndeliverable(msgId, new DeliveryException("call " + msgId + " was refused by "
                            + (origin.isEmpty() ? "the proxy" : "server " + origin) + ": " + ZmqProtocol.text(frames.get(4))));
                }
            }
            case ZmqProtocol.CALL, ZmqProtocol.CAST, ZmqProtocol.FANOUT -> deliver(link, type, msgId, frames);
            default -> drops.drop("malformed", type + " from " + link.endpoint + " is not sent by proxies");
        }
    }

    /**
     * The call {@code msgId} if an answer to it may come now: this driver has
     * it outstanding, it went out through {@code link}, and {@code origin}
     * (the server the proxy stamped; null when the proxy itself answers) is
     * the one that answered it before, if any. Else null, counted as
     * {@code reply_unexpected}.
     */
    private InFlight expected(ProxyLink link, String msgId, String origin, String what) {
        InFlight f = inFlight.get(msgId);
        String why = f == null ? "no call of that id is outstanding"
                : f.link() != link ? "the call went out through " + f.link().endpoint
                : origin != null && f.origin() != null && !f.origin().equals(origin)
                        ? "it answered from " + origin + ", the call's earlier answers from " + f.origin() : null;
        if (why != null) {
            drops.drop("reply_unexpected", what + " for call " + msgId + " through " + link.endpoint + " dropped: " + why);
            return null;
        }
        return f;
    }

    private void reply(ProxyLink link, String msgId, String origin, byte[] ending, byte[] body) {
        InFlight f = expected(link, msgId, origin, "REPLY");
        if (f == null) {
            return;
        }
        boolean last = ending.length == 1 && ending[0] == '1';
        // One decode, by the RPC layer: the envelope's id is checked against the frame's before
        // the reply reaches any call, and the call's bookkeeping is done only for a reply let in.
        replies.onReplyFor(msgId, body, read -> {
            if (read.msgId() != null && !read.msgId().equals(msgId)) {
                drops.drop("reply_unexpected", "REPLY for call " + msgId + " from " + origin + " names _msg_id '"
                        + read.msgId() + "' in its envelope; the frame's id wins and the reply is dropped");
                return false;
            }
            if (last) {
                return inFlight.remove(msgId, f);
            }
            if (f.origin() == null) {
                inFlight.replace(msgId, f, new InFlight(f.link(), f.frames(), f.forgetAt(), f.resent(), f.tried(), origin));
            }
            return true;
        });
    }

    /**
     * A proxy knows no server for the call: another live proxy may (a server
     * is reachable once one proxy has its registration), so the call is tried
     * there before it fails.
     */
    private void noRoute(String msgId, String text) {
        InFlight f = inFlight.get(msgId);
        if (f == null) {
            return;
        }
        for (ProxyLink other : links) {
            if (other.up() && (f.tried() & other.bit()) == 0) {
                if (inFlight.replace(msgId, f, new InFlight(other, f.frames(), f.forgetAt(), f.resent(), f.tried() | other.bit()))
                        && !other.enqueue(f.frames())) {
                    unsent(other, f.frames(), "its outbound queue is full (rpc_zmq.queue_hwm)");
                }
                return;
            }
        }
        if (inFlight.remove(msgId, f)) {
            replies.onUndeliverable(msgId, new DeliveryException(text));
        }
    }

    private void registered(String topic, String server, String refusal) {
        Registration r = registrations.get(topic + "\u0000" + server);
        if (r == null || r.acked) {
            return;
        }
        if (refusal == null) {
            r.acked = true;
        } else {
            LOG.error("zmq proxy refused the registration of topic '{}' server '{}': {}", topic, server, refusal);
            r.refusal = refusal;
        }
        r.ackWaiters.forEach(Runnable::run);
    }

    private void deliver(ProxyLink link, String type, String msgId, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(3));
        String server = ZmqProtocol.text(frames.get(4));
        byte[] body = frames.get(5);
        byte[] caller = frames.get(6);
        Registration reg = registrations.get(topic + "\u0000" + server);
        List<ZmqListener> live = reg == null ? List.of() : reg.listeners;
        if (live.isEmpty()) {
            String why = "no server of topic '" + topic + "' server '" + server + "' listens here any more";
            if (type.equals(ZmqProtocol.CALL)) {
                link.enqueue(ZmqProtocol.message(ZmqProtocol.ERROR, msgId, why));
            }
            drops.drop("no_listener", type + ": " + why);
            return;
        }
        if (type.equals(ZmqProtocol.CALL)) {
            String problem = EnvelopePeek.requestProblem(body, msgId);
            if (problem != null) {
                drops.drop("malformed", "CALL " + msgId + " from " + ZmqProtocol.printable(caller) + ": " + problem);
                link.enqueue(ZmqProtocol.message(ZmqProtocol.ERROR, msgId, "request to topic '" + topic + "' server '"
                        + server + "' refused: " + problem));
                return;
            }
        }
        if (type.equals(ZmqProtocol.FANOUT)) {
            for (ZmqListener l : live) {
                offer(l, link, type, null, body);
            }
            return;
        }
        int i = Math.floorMod(reg.cursor.getAndIncrement(), live.size());
        ZmqListener l = live.get(Math.min(i, live.size() - 1));
        offer(l, link, type, type.equals(ZmqProtocol.CALL) ? msgId : null, body);
    }

    /** Hands a request to a listener unless its server has rpc_zmq.queue_hwm requests not yet taken. */
    private void offer(ZmqListener l, ProxyLink link, String type, String msgId, byte[] body) {
        if (!l.deliver(new ZmqIncomingMessage(this, link, msgId, body, l), queueHwm)) {
            String why = "the server has " + queueHwm + " requests waiting (rpc_zmq.queue_hwm)";
            drops.drop("server_queue_full", type + " to " + l.key().replace('\u0000', '.') + ": " + why);
            if (msgId != null) {
                link.enqueue(ZmqProtocol.message(ZmqProtocol.ERROR, msgId, "request refused: " + why));
            }
        }
    }

    private void refuse(ProxyLink link, List<byte[]> frames, String reason, String detail) {
        drops.drop(reason, detail);
        // A request from a proxy names its caller in its last frame: tell the caller, through the proxy.
        String msgId = ZmqProtocol.msgIdOf(frames);
        // The proxy knows the call by its id and answers its caller: no name is needed (or trusted).
        if (msgId != null && ZmqProtocol.versionMatches(frames) && frames.size() >= 2
                && ZmqProtocol.text(frames.get(1)).equals(ZmqProtocol.CALL)) {
            link.enqueue(ZmqProtocol.message(ZmqProtocol.ERROR, msgId, detail));
        }
    }

    // ---- called by listeners and incoming messages -------------------------------------------------

    /**
     * Sends a reply through the proxy its request came from, or any live one; {@code ending} is
     * the envelope's (read from the body when null).
     */
    void reply(ProxyLink origin, String msgId, String replyAddress, byte[] body, Boolean ending) {
        if (closing.get()) {
            LOG.warn("reply to {} for call {} dropped: the zmq transport is closed", replyAddress, msgId);
            return;
        }
        // replyAddress (the request's _reply_q) is not needed: the proxy knows whom the call came from.
        if (msgId == null) {
            drops.drop("bad_reply_address", "a reply to a cast (it has no msg id) dropped");
            return;
        }
        byte[][] frames;
        if (body.length > maxBody) {
            frames = ZmqProtocol.message(ZmqProtocol.ERROR, msgId, "the reply is " + body.length
                    + " bytes; rpc.max_message_size allows " + maxBody);
            LOG.warn("reply for call {} is {} bytes, above rpc.max_message_size {}; the caller gets an error instead",
                    msgId, body.length, maxBody);
        } else {
            boolean last = ending != null ? ending : EnvelopePeek.reply(body).ending();
            frames = ZmqProtocol.message(ZmqProtocol.REPLY, msgId, last ? "1" : "0", body);
        }
        ProxyLink link = origin.up() ? origin : pickLink();
        if (link == null) {
            drops.drop("reply_no_proxy", "reply for call " + msgId + ": no proxy of " + url + " is live");
            return;
        }
        if (!link.enqueue(frames)) {
            drops.drop("send_queue_full", "reply for call " + msgId + " through " + link.endpoint
                    + ": the outbound queue holds rpc_zmq.queue_hwm messages");
        }
    }

    void unlisten(ZmqListener listener) {
        Registration reg = registrations.get(listener.key());
        if (reg == null || !reg.listeners.remove(listener) || !reg.listeners.isEmpty()) {
            return;
        }
        registrations.remove(listener.key(), reg);
        if (closing.get()) {
            return;
        }
        byte[][] unregister = ZmqProtocol.message(ZmqProtocol.UNREGISTER, "", reg.topic, reg.server);
        for (ProxyLink link : links) {
            link.enqueue(unregister);
        }
    }

    @Override
    public String toString() {
        return "ZmqDriver(" + url + ", reply address " + replyAddress + ")";
    }
}

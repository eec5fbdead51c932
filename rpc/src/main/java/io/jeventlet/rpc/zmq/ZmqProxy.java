package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.MonotonicClock;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.TransportEvents;
import io.jeventlet.rpc.spi.TransportOpts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The router ZeroMQ clients and servers meet at: servers register
 * {@code (topic, server)} and renew by heartbeat; requests are routed to
 * {@code topic.server}, round robin over a topic's live servers, or to every
 * server of a topic (fanout, done here rather than by the client); replies go
 * back to their caller. A call with no live server is answered NOROUTE at
 * once; a cast with none is dropped and counted. The frames are those of
 * {@code docs/PROTOCOL.md}, version 2.
 *
 * <p>Thread-safe: {@link #start}, {@link #transportUrl}, {@link #stats} and
 * {@link #close} may be called from any thread. Everything else runs in the
 * one platform thread that owns the ROUTER socket ({@link SocketOwners}).
 *
 * <p>Identity is the connection: every message is attributed to the
 * connection it arrived on ({@link ProxyPeers}: its routing id and, with
 * CurveZMQ, its client key), or to the home that connection ATTACHed to with
 * the home's secret token — never to a name a frame gives. Registrations,
 * heartbeats and unregistrations touch only the sender's own; a REPLY or
 * ERROR is forwarded only from the home a call was routed to
 * ({@link PendingCalls}) and is stamped with that origin. ROUTER_HANDOVER is
 * off: a second connection presenting a live identity is refused by JeroMQ,
 * and {@link RefusedIdentities} logs, counts ({@code identity_refused}) and
 * closes it. A connection that presents no identity (the ROUTER makes one
 * up, starting with a zero byte) is served nothing ({@code no_identity}). A
 * DISCONNECT message (ZMQ_DISCONNECT_MSG) tells the proxy a connection is
 * gone, so its registrations go with it at once.
 *
 * <p>Bounded: the ROUTER's queue to each peer holds {@code rpc_zmq.queue_hwm}
 * messages (a send beyond is dropped and counted {@code peer_backlogged});
 * pending calls are at most {@code rpc_zmq.max_pending_calls}. Each message is
 * size-checked before anything is parsed, then shape-checked
 * ({@link ZmqProtocol#checkShape}); anything wrong is counted, logged
 * (throttled) and dropped, with an ERROR to its sender when the sender gave a
 * message id. Expired registrations and pending calls are swept every
 * quarter of a second.
 */
public final class ZmqProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqProxy.class);
    private static final int BATCH = 512;
    private static final double SWEEP_EVERY = 0.25;
    /** How long a pending call outlives its timeout_ms: late replies and clocks' jitter. */
    private static final double PENDING_GRACE = 5.0;

    private final ZContext context;
    private final ZMQ.Socket router;
    private final String endpoint;
    private final long maxBody;
    private final CurveKeys.ProxyAuth auth;
    private final boolean curve;
    private final ServeAcl acl;
    private final SocketOwners socketOwners;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final DropLog drops;
    private final RouteTable routes = new RouteTable();
    private final ProxyPeers peers = new ProxyPeers();
    private final PendingCalls pending;
    private final RefusedIdentities refusedIdentities;
    /** The CURVE client key of the message being handled ("" without CurveZMQ). */
    private String lastCurveKey = "";
    /** Live registrations as of the last sweep (a quarter second old at most), for monitoring. */
    private volatile int registered;

    private ZmqProxy(String bindEndpoint, ConfigOpts conf) {
        this.maxBody = conf.get(TransportOpts.MAX_MESSAGE_SIZE);
        this.acl = new ServeAcl(conf.get(ZmqOpts.CURVE_SERVE_ACL));
        this.pending = new PendingCalls(conf.get(ZmqOpts.MAX_PENDING_CALLS));
        int hwm = conf.get(ZmqOpts.QUEUE_HWM);
        CurveKeys keys = CurveKeys.forProxy(conf);
        this.curve = keys != null;
        this.context = new ZContext(1);
        context.setLinger(0);
        try {
            this.auth = keys == null ? null : keys.startAuth(context);
            this.router = context.createSocket(SocketType.ROUTER);
            router.setLinger(0);
            router.setRouterMandatory(true);
            // Never hand a live identity to a second connection (docs/PROTOCOL.md, "Identity").
            router.setRouterHandover(false);
            router.base().setSocketOpt(zmq.ZMQ.ZMQ_DISCONNECT_MSG, ZmqProtocol.DISCONNECTED);
            router.setMaxMsgSize(maxBody + ZmqProtocol.FRAME_OVERHEAD + 65_536);
            router.setSndHWM(hwm);
            router.setRcvHWM(hwm);
            // See ProxyLink: a connection whose peer's handshake is stuck is dropped quickly.
            // With CURVE, five times the limit (as ProxyLink: key agreement and the ZAP round trip).
            double handshake = conf.get(ZmqOpts.HANDSHAKE_TIMEOUT) * (keys != null ? 5 : 1);
            router.setHandshakeIvl((int) Math.max(1, handshake * 1000));
            if (keys != null) {
                keys.applyServer(router);
            }
            router.bind(bindEndpoint);
            this.endpoint = router.getLastEndpoint();
            this.refusedIdentities = new RefusedIdentities(router, handshake);
        } catch (RuntimeException e) {
            context.close();
            throw new IllegalArgumentException("ZmqProxy cannot bind '" + bindEndpoint + "': " + e.getMessage(), e);
        }
        this.drops = new DropLog(LOG, "zmq proxy " + endpoint, new TransportEvents("zmq", "zmq proxy " + endpoint));
        this.socketOwners = new SocketOwners("jeventlet-zmq-proxy");
        socketOwners.spawnOwner("zmq proxy " + endpoint, this::serve);
        LOG.info("zmq proxy listening on {}{} (protocol version {})", endpoint, keys == null ? "" : " with CurveZMQ",
                ZmqProtocol.VERSION);
    }

    /**
     * Starts a proxy bound to {@code bindEndpoint} ({@code "tcp://127.0.0.1:0"}
     * picks a free port) with default options.
     *
     * @throws IllegalArgumentException naming the endpoint when it cannot be bound
     */
    public static ZmqProxy start(String bindEndpoint) {
        return start(bindEndpoint, ConfigOpts.builder().load());
    }

    /**
     * Starts a proxy with {@code conf}'s {@code rpc.max_message_size} and
     * {@code rpc_zmq} CurveZMQ keys.
     *
     * @throws IllegalArgumentException naming the endpoint, a key file or an option that is wrong
     */
    public static ZmqProxy start(String bindEndpoint, ConfigOpts conf) {
        return new ZmqProxy(bindEndpoint.replaceFirst(":0$", ":*"), conf);
    }

    /** The {@code zmq://HOST:PORT} URL to give clients and servers. */
    public String transportUrl() {
        return "zmq://" + endpoint.substring(endpoint.indexOf("://") + 3);
    }

    /** The bound ZeroMQ endpoint, e.g. {@code tcp://127.0.0.1:40123}. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Counters by name: {@code routed}, {@code noroute}, {@code cast_dropped},
     * {@code malformed}, {@code oversized}, {@code bad_version},
     * {@code reply_unroutable}, {@code auth_refused}, ... (a snapshot).
     */
    public Map<String, Long> stats() {
        Map<String, Long> m = drops.snapshot();
        if (auth != null) {
            m.put("auth_refused", auth.refused());
        }
        return m;
    }

    /** Live registrations (servers registered by topic and server), as of the last sweep. Thread-safe. */
    public int registered() {
        return registered;
    }

    /** Stops routing and closes the socket and its threads (linger 0). Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        socketOwners.close(5);
        if (auth != null) {
            auth.close();
        }
        context.close();
        LOG.info("zmq proxy {} closed", endpoint);
    }

    // ---- the owner thread -----------------------------------------------------------------------

    private void serve() {
        // A blocking receive with a timeout, not a Poller: JeroMQ's Poller costs 0.1-3 ms per
        // wake-up here (measured), a blocking receive a few microseconds. Nothing but this
        // thread sends on the ROUTER, so it never needs waking for work, only for close (the
        // timeout) and for the sweep.
        router.setReceiveTimeOut((int) (SWEEP_EVERY * 1000));
        try {
            double nextSweep = now() + SWEEP_EVERY;
            while (!closing.get()) {
                // Every message taken is handled; the batch bound only lets the sweep run under load.
                List<byte[]> frames = receive(0);
                for (int n = 1; frames != null; n++) {
                    handle(frames);
                    frames = n < BATCH && !closing.get() ? receive(ZMQ.DONTWAIT) : null;
                }
                if (now() >= nextSweep) {
                    for (RouteTable.Registration r : routes.sweep(now())) {
                        LOG.info("registration of topic '{}' server '{}' by {} expired (no heartbeat)",
                                r.topic, r.server, ZmqProtocol.printable(r.identity));
                    }
                    int refused = refusedIdentities.sweep(now());
                    for (int i = 0; i < refused; i++) {
                        drops.drop("identity_refused", "a connection presented the identity of a live connection;"
                                + " it was refused (ROUTER_HANDOVER is off) and closed");
                    }
                    int expired = pending.sweep(now());
                    if (expired > 0) {
                        drops.count("pending_expired", expired);
                    }
                    registered = routes.size();
                    nextSweep = now() + SWEEP_EVERY;
                }
            }
        } finally {
            router.close();
        }
    }

    private static double now() {
        return MonotonicClock.seconds();
    }

    private List<byte[]> receive(int flags) {
        zmq.SocketBase base = router.base();
        zmq.Msg first = base.recv(flags);
        if (first == null) {
            int errno = base.errno();
            if (errno == ZMQ.Error.EAGAIN.getCode()) {
                return null;
            }
            throw new ZMQException(errno);
        }
        List<byte[]> frames = new ArrayList<>(8);
        frames.add(first.data());
        String curveKey = "";
        boolean more = first.hasMore();
        while (more) {
            zmq.Msg m = base.recv(0);
            if (m == null) {
                throw new ZMQException(base.errno());
            }
            if (curve && frames.size() == 1 && m.getMetadata() != null) {
                String user = m.getMetadata().get(zmq.io.Metadata.USER_ID);
                curveKey = user == null ? "" : user;
            }
            frames.add(m.data());
            more = m.hasMore();
        }
        lastCurveKey = curveKey;
        return frames;
    }

    private void handle(List<byte[]> all) {
        byte[] rid = all.get(0);
        List<byte[]> frames = all.subList(1, all.size());
        boolean gone = frames.size() == 1 && java.util.Arrays.equals(frames.get(0), ZmqProtocol.DISCONNECTED);
        if (!ZmqProtocol.presented(rid)) {
            if (!gone) {
                refuseUnnamed(rid, frames);
            }
            return;
        }
        if (gone) {
            connectionGone(rid);
            return;
        }
        ProxyPeers.Conn conn = peers.conn(rid, lastCurveKey);
        String from = ZmqProtocol.printable(rid);
        long total = 0;
        for (byte[] f : frames) {
            total += f.length;
        }
        if (frames.size() > 8 || total > maxBody + ZmqProtocol.FRAME_OVERHEAD) {
            refuse(conn, frames, "oversized", "message from " + from + " is " + total + " bytes in "
                    + frames.size() + " frames; at most rpc.max_message_size=" + maxBody
                    + " bytes of body and 7 frames are accepted");
            return;
        }
        if (!ZmqProtocol.versionMatches(frames)) {
            refuseVersion(conn, frames);
            return;
        }
        String problem = ZmqProtocol.checkShape(frames, true);
        if (problem != null) {
            refuse(conn, frames, "malformed", "from " + from + ": " + problem);
            return;
        }
        String type = ZmqProtocol.text(frames.get(1));
        String msgId = ZmqProtocol.text(frames.get(2));
        int bodyAt = switch (type) {
            case ZmqProtocol.CALL -> 6;
            case ZmqProtocol.CAST, ZmqProtocol.FANOUT, ZmqProtocol.NOTIFY -> 5;
            case ZmqProtocol.REPLY -> 4;
            default -> -1;
        };
        if (bodyAt > 0 && frames.get(bodyAt).length > maxBody) {
            refuse(conn, frames, "oversized", type + " from " + from + " has a body of " + frames.get(bodyAt).length
                    + " bytes; rpc.max_message_size allows " + maxBody);
            return;
        }
        if (type.equals(ZmqProtocol.HELLO)) {
            ProxyPeers.Home h = peers.hello(conn);
            if (h == null) {
                refuse(conn, frames, "malformed", "HELLO from " + from + ": this connection is attached to another");
                return;
            }
            send(h.rid, ZmqProtocol.message(ZmqProtocol.WELCOME, "", h.rid, h.token));
            return;
        }
        if (type.equals(ZmqProtocol.ATTACH)) {
            ProxyPeers.Home h = peers.attach(conn, ZmqProtocol.text(frames.get(3)));
            if (h == null) {
                refuse(conn, frames, "attach_refused", "ATTACH from " + from
                        + ": no live HELLO connection holds that token" + (curve ? " with this CURVE key" : ""));
                return;
            }
            send(h.rid, ZmqProtocol.message(ZmqProtocol.ATTACHED, ""));
            return;
        }
        ProxyPeers.Home home = conn.home;
        if (home == null) {
            refuse(conn, frames, "no_hello", type + " from " + from
                    + ": the connection has not said HELLO (or ATTACHed); send HELLO first");
            return;
        }
        switch (type) {
            case ZmqProtocol.PING -> send(home.rid, ZmqProtocol.message(ZmqProtocol.PONG, ""));
            case ZmqProtocol.REGISTER -> register(home, frames);
            case ZmqProtocol.UNREGISTER -> {
                String topic = ZmqProtocol.text(frames.get(3));
                String server = ZmqProtocol.text(frames.get(4));
                if (routes.unregister(home.rid, topic, server)) {
                    LOG.info("{} unregistered topic '{}' server '{}'", home.name(), topic, server);
                }
            }
            case ZmqProtocol.CALL, ZmqProtocol.CAST -> route(home, conn, type, msgId, frames);
            case ZmqProtocol.FANOUT -> fanout(home, frames);
            case ZmqProtocol.NOTIFY -> notifyGroups(home, frames);
            case ZmqProtocol.REPLY -> answer(home, conn, msgId, frames, true);
            case ZmqProtocol.ERROR -> answer(home, conn, msgId, frames, false);
            default -> refuse(conn, frames, "malformed", "from " + from + ": " + type + " is sent by proxies, not to them");
        }
    }

    private void connectionGone(byte[] rid) {
        ProxyPeers.Home h = peers.gone(ProxyPeers.key(rid));
        if (h != null) {
            int n = routes.dropPeer(h.key);
            if (n > 0) {
                LOG.info("peer {} disconnected; forgot its {} registration(s)", h.name(), n);
            }
        }
    }

    private void register(ProxyPeers.Home home, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(3));
        String server = ZmqProtocol.text(frames.get(4));
        long ttlMs = parseMillis(frames.get(5));
        if (topic.isEmpty() || server.isEmpty() || ttlMs <= 0 || ttlMs > ZmqProtocol.MAX_TTL_MS) {
            String why = "REGISTER from " + home.name() + " has topic '" + topic + "' server '" + server
                    + "' ttl_ms '" + ZmqProtocol.printable(frames.get(5)) + "'; expected a non-empty topic and server"
                    + " and a ttl_ms of ASCII decimal digits in 1.." + ZmqProtocol.MAX_TTL_MS;
            drops.drop("malformed", why);
            send(home.rid, ZmqProtocol.message(ZmqProtocol.REFUSED, "", topic, server, why));
            return;
        }
        if (!acl.allows(topic, home.curveKey)) {
            String why = "peer " + home.name() + (home.curveKey.isEmpty() ? " (no CURVE key)" : " with CURVE key " + home.curveKey)
                    + " may not serve topic '" + topic + "' (rpc_zmq.curve_serve_acl)";
            drops.drop("register_refused", why);
            send(home.rid, ZmqProtocol.message(ZmqProtocol.REFUSED, "", topic, server, why));
            return;
        }
        if (routes.register(home.rid, topic, server, now() + ttlMs / 1000.0)) {
            LOG.info("{} registered topic '{}' server '{}' (ttl {} ms)", home.name(), topic, server, ttlMs);
        }
        send(home.rid, ZmqProtocol.message(ZmqProtocol.REGISTERED, "", topic, server));
    }

    private void route(ProxyPeers.Home caller, ProxyPeers.Conn conn, String type, String msgId, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(3));
        String server = ZmqProtocol.text(frames.get(4));
        boolean call = type.equals(ZmqProtocol.CALL);
        if (topic.isEmpty() || (call && msgId.isEmpty())) {
            refuse(conn, frames, "malformed", type + " from " + caller.name()
                    + (topic.isEmpty() ? " names no topic" : " has no msg_id"));
            return;
        }
        double now = now();
        double expiresAt = 0;
        if (call) {
            long timeoutMs = parseMillis(frames.get(5));
            if (timeoutMs < 0) {
                refuse(conn, frames, "malformed", "CALL " + msgId + " from " + caller.name() + " has timeout_ms '"
                        + ZmqProtocol.printable(frames.get(5)) + "'; expected ASCII decimal milliseconds in 0.."
                        + ZmqProtocol.MAX_TTL_MS + " (0: no timeout)");
                return;
            }
            if (pending.full()) {
                refuse(conn, frames, "pending_full", "CALL " + msgId + " from " + caller.name() + ": the proxy has "
                        + pending.size() + " calls pending (rpc_zmq.max_pending_calls)");
                return;
            }
            expiresAt = now + (timeoutMs == 0 ? ZmqProtocol.MAX_TTL_MS / 1000.0 : timeoutMs / 1000.0) + PENDING_GRACE;
        }
        byte[] body = frames.get(call ? 6 : 5);
        for (int attempt = 0; attempt < 8; attempt++) {
            RouteTable.Registration r = routes.pick(topic, server, now);
            if (r == null) {
                break;
            }
            ProxyPeers.Home target = peers.homeOf(r.identityKey);
            if (target == null) {
                routes.dropPeer(r.identityKey);
                continue;
            }
            if (call && !pending.add(target, msgId, caller, expiresAt)) {
                refuse(conn, frames, "duplicate_msg_id", "CALL " + msgId + " from " + caller.name()
                        + ": a call of that id is already pending at the server chosen");
                return;
            }
            if (send(r.identity, ZmqProtocol.message(type, msgId, topic, r.server, body, caller.rid))) {
                drops.count("routed");
                return;
            }
            if (call) {
                pending.remove(target, msgId);
            }
        }
        String target = server.isEmpty() ? "topic '" + topic + "'" : "topic '" + topic + "' server '" + server + "'";
        if (call) {
            drops.count("noroute");
            send(caller.rid, ZmqProtocol.message(ZmqProtocol.NOROUTE, msgId, "no live server is registered for " + target));
        } else {
            drops.drop("cast_dropped", "cast to " + target + ": no live server is registered (casts are at most once)");
        }
    }

    private static long parseMillis(byte[] frame) {
        if (frame.length == 0 || frame.length > 9) {
            return -1;
        }
        long v = 0;
        for (byte b : frame) {
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v <= ZmqProtocol.MAX_TTL_MS ? v : -1;
    }

    private void fanout(ProxyPeers.Home caller, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(3));
        List<RouteTable.Registration> regs = routes.all(topic, now());
        int sent = 0;
        for (RouteTable.Registration r : regs) {
            if (send(r.identity, ZmqProtocol.message(ZmqProtocol.FANOUT, "", topic, r.server, frames.get(5), caller.rid))) {
                sent++;
            }
        }
        if (sent == 0) {
            drops.drop("cast_dropped", "fanout to topic '" + topic + "': no live server is registered");
        } else {
            drops.count("routed");
        }
    }

    /**
     * A notification: one live registration of each server name of the topic
     * (round robin within the name) gets it as a CAST, so every listener
     * group (a pool, or the pool-less listeners) gets every notification once.
     */
    private void notifyGroups(ProxyPeers.Home caller, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(3));
        double now = now();
        int sent = 0;
        for (String server : routes.servers(topic, now)) {
            for (int attempt = 0; attempt < 8; attempt++) {
                RouteTable.Registration r = routes.pick(topic, server, now);
                if (r == null) {
                    break;
                }
                if (send(r.identity, ZmqProtocol.message(ZmqProtocol.CAST, "", topic, r.server, frames.get(5), caller.rid))) {
                    sent++;
                    break;
                }
            }
        }
        if (sent == 0) {
            drops.drop("notification_dropped", "notification to '" + topic + "': no live listener is registered"
                    + " (notifications over zmq are at most once)");
        } else {
            drops.count("routed");
        }
    }

    /** A server's REPLY or ERROR: forwarded, stamped with its origin, only for a call routed to that server. */
    private void answer(ProxyPeers.Home server, ProxyPeers.Conn conn, String msgId, List<byte[]> frames, boolean reply) {
        boolean last;
        if (reply) {
            byte[] ending = frames.get(3);
            if (ending.length != 1 || (ending[0] != '0' && ending[0] != '1')) {
                refuse(conn, frames, "malformed", "REPLY " + msgId + " from " + server.name() + " has ending '"
                        + ZmqProtocol.printable(ending) + "'; expected 1 (the final reply) or 0 (a heartbeat)");
                return;
            }
            last = ending[0] == '1';
        } else {
            last = true;
        }
        PendingCalls.Pending p = pending.answer(server, msgId, last, now());
        if (p == null) {
            drops.drop("reply_unexpected", (reply ? "REPLY " : "ERROR ") + msgId + " from " + server.name()
                    + ": no call of that id was routed to it (forged, or after the call's timeout)");
            return;
        }
        byte[][] out = reply
                ? ZmqProtocol.message(ZmqProtocol.REPLY, msgId, server.rid, frames.get(3), frames.get(4))
                : ZmqProtocol.message(ZmqProtocol.ERROR, msgId, server.rid, frames.get(3));
        if (!send(p.caller().rid, out)) {
            drops.drop("reply_unroutable", "reply or error for " + msgId + " to " + p.caller().name()
                    + ": that caller is not connected");
        }
    }

    /** Counts and logs a bad message; answers ERROR (from the proxy: empty origin) when it carries a message id. */
    private void refuse(ProxyPeers.Conn conn, List<byte[]> frames, String reason, String detail) {
        drops.drop(reason, detail);
        String msgId = ZmqProtocol.msgIdOf(frames);
        if (msgId != null) {
            send(conn.home != null ? conn.home.rid : conn.rid, ZmqProtocol.message(ZmqProtocol.ERROR, msgId, "", detail));
        }
    }

    /**
     * A message from a connection that presented no identity, or one that starts with a zero byte:
     * the shape of the identities the ROUTER makes up itself. JeroMQ numbers those in sequence
     * and does not check them against the identities peers present, so a peer that presented the
     * next number would share its identity with the connection it was later given to: both
     * connections' messages would arrive as one. Such a connection is never a home, never
     * attached, never routed to: nothing it sends is attributed to anyone (docs/PROTOCOL.md).
     */
    private void refuseUnnamed(byte[] rid, List<byte[]> frames) {
        String text = "the connection presented no identity (ZMQ_ROUTING_ID), or one starting with a zero byte;"
                + " this proxy serves only connections that present one";
        drops.drop("no_identity", "message from " + ZmqProtocol.printable(rid) + ": " + text);
        String msgId = ZmqProtocol.msgIdOf(frames);
        if (msgId != null) {
            send(rid, ZmqProtocol.message(ZmqProtocol.ERROR, msgId, "", text));
        }
    }

    /** A message of another protocol version: one 4-frame ERROR in the sender's version, always. */
    private void refuseVersion(ProxyPeers.Conn conn, List<byte[]> frames) {
        String version = frames.isEmpty() ? "" : ZmqProtocol.printable(frames.get(0));
        String text = "unsupported protocol version '" + version + "'; this proxy speaks version " + ZmqProtocol.VERSION;
        drops.drop("bad_version", "from " + ZmqProtocol.printable(conn.rid) + ": " + text);
        String msgId = ZmqProtocol.msgIdOf(frames);
        byte[][] out = {ZmqProtocol.answerVersion(frames), ZmqProtocol.bytes(ZmqProtocol.ERROR),
                msgId == null ? new byte[0] : ZmqProtocol.bytes(msgId), ZmqProtocol.bytes(text)};
        send(conn.home != null ? conn.home.rid : conn.rid, out);
    }

    /** Sends to a peer; false (and its registrations forgotten) when it is not connected. */
    private boolean send(byte[] identity, byte[][] message) {
        try {
            if (!router.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                drops.drop("peer_backlogged", "peer " + ZmqProtocol.printable(identity)
                        + " is not reading: its queue holds rpc_zmq.queue_hwm messages");
                return false;
            }
            for (int i = 0; i < message.length; i++) {
                router.send(message[i], i < message.length - 1 ? ZMQ.SNDMORE : 0);
            }
            return true;
        } catch (ZMQException e) {
            if (e.getErrorCode() == ZMQ.Error.EHOSTUNREACH.getCode()) {
                connectionGone(identity);
                return false;
            }
            throw e;
        }
    }
}

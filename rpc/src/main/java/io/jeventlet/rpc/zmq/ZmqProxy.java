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
 * {@code docs/PROTOCOL.md}.
 *
 * <p>Thread-safe: {@link #start}, {@link #transportUrl}, {@link #stats} and
 * {@link #close} may be called from any thread. Everything else runs in the
 * one green thread that owns the ROUTER socket, on the proxy's own
 * {@link SocketHub}.
 *
 * <p>Overview: one ROUTER socket (ROUTER_MANDATORY, so a send to a vanished
 * peer raises EHOSTUNREACH instead of vanishing; ROUTER_HANDOVER, so a
 * reconnecting peer's identity moves to its new connection) serves both
 * clients and servers, which all connect DEALER sockets whose identity is
 * their reply address. Each message is size-checked frame by frame before
 * anything is parsed, then shape-checked ({@link ZmqProtocol#checkShape});
 * anything wrong is counted, logged (throttled) and dropped, with an ERROR to
 * its sender when the sender gave a message id. Registrations live in a
 * {@link RouteTable}; expired ones are swept every quarter of a second.
 */
public final class ZmqProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqProxy.class);
    private static final int BATCH = 512;
    private static final double SWEEP_EVERY = 0.25;

    private final ZContext context;
    private final ZMQ.Socket router;
    private final String endpoint;
    private final long maxBody;
    private final CurveKeys.ProxyAuth auth;
    private final SocketHub socketHub;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final DropLog drops;
    private final RouteTable routes = new RouteTable();
    /** Live registrations as of the last sweep (a quarter second old at most), for monitoring. */
    private volatile int registered;

    private ZmqProxy(String bindEndpoint, ConfigOpts conf) {
        this.maxBody = conf.get(TransportOpts.MAX_MESSAGE_SIZE);
        CurveKeys keys = CurveKeys.forProxy(conf);
        this.context = new ZContext(1);
        context.setLinger(0);
        try {
            this.auth = keys == null ? null : keys.startAuth(context);
            this.router = context.createSocket(SocketType.ROUTER);
            router.setLinger(0);
            router.setRouterMandatory(true);
            router.setRouterHandover(true);
            router.setMaxMsgSize(maxBody + ZmqProtocol.FRAME_OVERHEAD + 65_536);
            router.setSndHWM(100_000);
            router.setRcvHWM(100_000);
            // See ProxyLink: a hanging handshake is dropped after one TTL, not JeroMQ's 30 s.
            router.setHandshakeIvl((int) (conf.get(ZmqOpts.REGISTRATION_TTL) * 1000));
            if (keys != null) {
                keys.applyServer(router);
            }
            router.bind(bindEndpoint);
            this.endpoint = router.getLastEndpoint();
        } catch (RuntimeException e) {
            context.close();
            throw new IllegalArgumentException("ZmqProxy cannot bind '" + bindEndpoint + "': " + e.getMessage(), e);
        }
        this.drops = new DropLog(LOG, "zmq proxy " + endpoint, new TransportEvents("zmq", "zmq proxy " + endpoint));
        this.socketHub = new SocketHub("jeventlet-zmq-proxy");
        socketHub.spawnOwner("zmq proxy " + endpoint, this::serve);
        LOG.info("zmq proxy listening on {}{}", endpoint, keys == null ? "" : " with CurveZMQ");
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
        socketHub.close(5);
        if (auth != null) {
            auth.close();
        }
        context.close();
        LOG.info("zmq proxy {} closed", endpoint);
    }

    // ---- the owner green thread -----------------------------------------------------------------

    private void serve() {
        // A blocking receive with a timeout, not a Poller: JeroMQ's Poller costs 0.1-3 ms per
        // wake-up here (measured), a blocking receive a few microseconds. Nothing but this green
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
        byte[] first = router.recv(flags);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(8);
        frames.add(first);
        while (router.hasReceiveMore()) {
            frames.add(router.recv(0));
        }
        return frames;
    }

    private void handle(List<byte[]> all) {
        byte[] identity = all.get(0);
        List<byte[]> frames = all.subList(1, all.size());
        String from = ZmqProtocol.printable(identity);
        long total = 0;
        for (byte[] f : frames) {
            total += f.length;
        }
        if (frames.size() > 8 || total > maxBody + ZmqProtocol.FRAME_OVERHEAD) {
            refuse(identity, frames, "oversized", "message from " + from + " is " + total + " bytes in "
                    + frames.size() + " frames; at most rpc.max_message_size=" + maxBody
                    + " bytes of body and 7 frames are accepted");
            return;
        }
        String problem = ZmqProtocol.checkShape(frames, true);
        if (problem != null) {
            refuse(identity, frames, problem.startsWith("unsupported protocol version") ? "bad_version" : "malformed",
                    "from " + from + ": " + problem);
            return;
        }
        String type = ZmqProtocol.text(frames.get(1));
        String msgId = ZmqProtocol.text(frames.get(2));
        byte[] peer = frames.get(3);
        byte[] replyTo = peer.length == 0 ? identity : peer;
        switch (type) {
            case ZmqProtocol.PING -> send(replyTo, ZmqProtocol.message(ZmqProtocol.PONG, ""));
            case ZmqProtocol.REGISTER -> register(replyTo, from, frames);
            case ZmqProtocol.UNREGISTER -> {
                String topic = ZmqProtocol.text(frames.get(4));
                String server = ZmqProtocol.text(frames.get(5));
                if (routes.unregister(replyTo, topic, server)) {
                    LOG.info("{} unregistered topic '{}' server '{}'", ZmqProtocol.printable(replyTo), topic, server);
                }
            }
            case ZmqProtocol.CALL, ZmqProtocol.CAST -> route(replyTo, type, msgId, frames);
            case ZmqProtocol.FANOUT -> fanout(replyTo, frames);
            case ZmqProtocol.NOTIFY -> notifyGroups(replyTo, frames);
            case ZmqProtocol.REPLY -> forward(peer, ZmqProtocol.message(ZmqProtocol.REPLY, msgId, frames.get(4)));
            case ZmqProtocol.ERROR -> forward(peer, ZmqProtocol.message(ZmqProtocol.ERROR, msgId, frames.get(4)));
            default -> refuse(identity, frames, "malformed", "from " + from + ": " + type + " is sent by proxies, not to them");
        }
    }

    private void register(byte[] identity, String from, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(4));
        String server = ZmqProtocol.text(frames.get(5));
        long ttlMs;
        try {
            ttlMs = Long.parseLong(ZmqProtocol.text(frames.get(6)));
        } catch (NumberFormatException e) {
            ttlMs = -1;
        }
        if (topic.isEmpty() || server.isEmpty() || ttlMs <= 0 || ttlMs > ZmqProtocol.MAX_TTL_MS) {
            refuse(identity, frames, "malformed", "REGISTER from " + from + " has topic '" + topic + "' server '" + server
                    + "' ttl_ms '" + ZmqProtocol.printable(frames.get(6)) + "'; expected a non-empty topic and server"
                    + " and a ttl_ms in 1.." + ZmqProtocol.MAX_TTL_MS);
            return;
        }
        if (routes.register(identity, topic, server, now() + ttlMs / 1000.0)) {
            LOG.info("{} registered topic '{}' server '{}' (ttl {} ms)", ZmqProtocol.printable(identity), topic, server, ttlMs);
        }
        send(identity, ZmqProtocol.message(ZmqProtocol.REGISTERED, "", topic, server));
    }

    private void route(byte[] caller, String type, String msgId, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(4));
        String server = ZmqProtocol.text(frames.get(5));
        boolean call = type.equals(ZmqProtocol.CALL);
        if (topic.isEmpty() || (call && msgId.isEmpty())) {
            refuse(caller, frames, "malformed", type + " from " + ZmqProtocol.printable(caller)
                    + (topic.isEmpty() ? " names no topic" : " has no msg_id"));
            return;
        }
        double now = now();
        for (int attempt = 0; attempt < 8; attempt++) {
            RouteTable.Registration r = routes.pick(topic, server, now);
            if (r == null) {
                break;
            }
            if (send(r.identity, ZmqProtocol.message(type, msgId, topic, r.server, frames.get(6), caller))) {
                drops.count("routed");
                return;
            }
        }
        String target = server.isEmpty() ? "topic '" + topic + "'" : "topic '" + topic + "' server '" + server + "'";
        if (call) {
            drops.count("noroute");
            send(caller, ZmqProtocol.message(ZmqProtocol.NOROUTE, msgId, "no live server is registered for " + target));
        } else {
            drops.drop("cast_dropped", "cast to " + target + ": no live server is registered (casts are at most once)");
        }
    }

    private void fanout(byte[] caller, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(4));
        List<RouteTable.Registration> regs = routes.all(topic, now());
        int sent = 0;
        for (RouteTable.Registration r : regs) {
            if (send(r.identity, ZmqProtocol.message(ZmqProtocol.FANOUT, "", topic, r.server, frames.get(6), caller))) {
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
    private void notifyGroups(byte[] caller, List<byte[]> frames) {
        String topic = ZmqProtocol.text(frames.get(4));
        double now = now();
        int sent = 0;
        for (String server : routes.servers(topic, now)) {
            for (int attempt = 0; attempt < 8; attempt++) {
                RouteTable.Registration r = routes.pick(topic, server, now);
                if (r == null) {
                    break;
                }
                if (send(r.identity, ZmqProtocol.message(ZmqProtocol.CAST, "", topic, r.server, frames.get(6), caller))) {
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

    private void forward(byte[] to, byte[][] message) {
        if (!send(to, message)) {
            drops.drop("reply_unroutable", "reply or error for " + ZmqProtocol.printable(message[2]) + " to "
                    + ZmqProtocol.printable(to) + ": that caller is not connected");
        }
    }

    /** Counts and logs a bad message; answers ERROR when it carries a message id. */
    private void refuse(byte[] identity, List<byte[]> frames, String reason, String detail) {
        drops.drop(reason, detail);
        String msgId = ZmqProtocol.msgIdOf(frames);
        if (msgId != null) {
            byte[] to = frames.size() > 3 && frames.get(3).length > 0 && frames.get(3).length <= ZmqProtocol.MAX_NAME
                    ? frames.get(3) : identity;
            send(to, ZmqProtocol.message(ZmqProtocol.ERROR, msgId, detail));
        }
    }

    /** Sends to a peer; false (and its registrations forgotten) when it is not connected. */
    private boolean send(byte[] identity, byte[][] message) {
        try {
            if (!router.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                drops.drop("peer_backlogged", "peer " + ZmqProtocol.printable(identity) + " is not reading (send queue full)");
                return false;
            }
            for (int i = 0; i < message.length; i++) {
                router.send(message[i], i < message.length - 1 ? ZMQ.SNDMORE : 0);
            }
            return true;
        } catch (ZMQException e) {
            if (e.getErrorCode() == ZMQ.Error.EHOSTUNREACH.getCode()) {
                int n = routes.dropPeer(RouteTable.identityKey(identity));
                if (n > 0) {
                    LOG.info("peer {} is gone; forgot its {} registration(s)", ZmqProtocol.printable(identity), n);
                }
                return false;
            }
            throw e;
        }
    }
}

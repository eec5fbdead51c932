package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.MonotonicClock;
import io.jeventlet.rpc.spi.TransportEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A driver's connection to one proxy: two DEALER sockets, each owned by one
 * of the driver's {@link SocketOwners} threads. Thread-safe: {@link #enqueue},
 * {@link #wake()} and {@link #up()} from any thread; the rest runs in the owners.
 *
 * <p>Overview: the <em>receiving</em> socket is the driver's <em>home</em> at
 * the proxy (docs/PROTOCOL.md, "Identity"): it presents a random identity
 * of its own (a new one, on a new socket, when the proxy refuses it: see
 * {@link Home}), says HELLO on every connection and gets WELCOME with a
 * secret token. Its owner blocks in a receive (with a short timeout, to see
 * close and connection events) and hands each message to the driver. The
 * <em>sending</em> socket proves it speaks for that home by sending ATTACH
 * with the token; its owner blocks on a bounded queue that any thread fills
 * ({@code rpc_zmq.queue_hwm}; a message beyond is refused, see
 * {@link ZmqDriver#unsent}), sends what it takes, and each heartbeat sends
 * PING and renews the driver's registrations. Two blocking owners instead of
 * one owner polling both directions: JeroMQ's Poller costs 0.1-3 ms per
 * wake-up (measured here), a blocking receive or a queue hand-off a few
 * microseconds.
 *
 * <p>States: {@code down -> (HELLO, WELCOME, ATTACH) -> up (ATTACHED)};
 * {@code up -> down} on a disconnect of either socket or when the proxy has
 * been silent for the registration TTL. Down, the home says HELLO again
 * every heartbeat. Going up re-registers at once (a restarted proxy knows
 * nothing); going down hands the driver the calls in flight through it.
 */
final class ProxyLink {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyLink.class);
    private static final byte[][] WAKE = new byte[0][];
    private static final int RECEIVE_TICK_MS = 100;

    final String endpoint;
    private final ZmqDriver driver;
    private final int index;
    private final LinkedBlockingQueue<byte[][]> outbox;
    /** Senders waiting for room in {@link #outbox}; run by the sending owner once it is half empty. */
    private final List<Runnable> roomWaiters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean up;
    /** Set by the sending owner when its connection dropped: the receiving owner takes the link down. */
    private volatile boolean senderLost;
    /** Why the proxy is not answering, for outage log lines; set by the receiving owner. */
    private volatile String problem = "no answer since the link was made";
    /** Receiving owner only: the time the proxy was last heard from, and HELLO last sent. */
    private double lastHeard;
    private double lastHello = Double.NEGATIVE_INFINITY;
    private boolean everUp;
    /** This link's address at the proxy (its home's identity) as the last WELCOME said; null before. */
    private volatile String address;
    /** The receiving socket now (receiving owner only). */
    private Home home;

    ProxyLink(ZmqDriver driver, int index, String endpoint) {
        this.driver = driver;
        this.index = index;
        this.endpoint = endpoint;
        this.outbox = new LinkedBlockingQueue<>(driver.queueHwm());
    }

    /** This link's bit in a set of links tried for a call. */
    long bit() {
        return 1L << index;
    }

    /** True while the proxy is known to answer and both sockets speak as this driver. */
    boolean up() {
        return up;
    }

    /** The home's identity at the proxy, as the proxy's last WELCOME named it; null before one. Any thread. */
    String address() {
        return address;
    }

    /** Why the proxy does not answer (meaningful while not {@link #up()}). Any thread. */
    String problem() {
        return problem;
    }

    /** Queues a message for the sending owner; false when the queue is full (nothing queued). Any thread. */
    boolean enqueue(byte[][] frames) {
        return outbox.offer(frames);
    }

    /** True when the outbound queue is at most half full. Any thread. */
    boolean hasRoom() {
        return outbox.remainingCapacity() >= driver.queueHwm() / 2;
    }

    /** Runs {@code waiter} (once or more) when the outbound queue has room again; see {@link #removeRoomWaiter}. */
    void addRoomWaiter(Runnable waiter) {
        roomWaiters.add(waiter);
    }

    void removeRoomWaiter(Runnable waiter) {
        roomWaiters.remove(waiter);
    }

    /** Wakes the sending owner (to see the driver closing). Any thread. */
    void wake() {
        outbox.offer(WAKE);
    }

    private ZMQ.Socket socket(int reconnectMs) {
        ZMQ.Socket socket = driver.context().createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setSndHWM(driver.queueHwm());
        socket.setRcvHWM(driver.queueHwm());
        socket.setReconnectIVL(reconnectMs);
        socket.setReconnectIVLMax(1000);
        // JeroMQ 0.6.0 leaves a few in a hundred fresh outgoing connections stuck before the
        // ZMTP greeting: its I/O poller cancels the connecter's selection key and registers the
        // engine's handle for the same channel in one pass, before a select() has flushed the
        // cancelled key, so the new handle is never registered (zeromq/jeromq#1022; more likely
        // under load, and when two connects complete in one pass). Nothing here can reach that
        // poller, so a stuck handshake is dropped and redialled after rpc_zmq.handshake_timeout
        // (JeroMQ's default is 30 s), and the two sockets of a link never connect in lockstep.
        // A CURVE handshake (key agreement, the proxy's ZAP round trip) legitimately takes longer
        // on a loaded machine: it gets five times the limit.
        double limit = driver.handshakeTimeout() * (driver.curve() != null ? 5 : 1);
        socket.setHandshakeIvl((int) Math.max(1, limit * 1000));
        socket.setMaxMsgSize(driver.maxBody() + ZmqProtocol.FRAME_OVERHEAD + 65_536);
        if (driver.curve() != null) {
            driver.curve().applyClient(socket);
        }
        return socket;
    }

    // ---- the sending owner ----------------------------------------------------------------------

    void runSender() {
        // Another reconnect interval than the receiving socket's: after a proxy restart the two
        // must not redial in the same poller pass again and again (see socket()).
        ZMQ.Socket socket = socket(170);
        ZMQ.Socket monitor = driver.context().createSocket(SocketType.PAIR);
        try {
            // Its own identity, never shown to other peers (the proxy names the home as the sender).
            socket.setIdentity(ZmqProtocol.bytes(freshIdentity()));
            String monitorAddress = "inproc://jeventlet-zmq-monitor-" + driver.replyAddress() + "-tx-" + index;
            socket.monitor(monitorAddress, ZMQ.EVENT_DISCONNECTED);
            monitor.connect(monitorAddress);
            // Connected on the first message to send (ATTACH, once the receiving socket is
            // welcomed), not at once: the two sockets' first connects never race (see socket()).
            boolean connected = false;
            double interval = driver.heartbeatInterval();
            double nextBeat = now();
            while (!driver.closing()) {
                long waitNanos = Math.max(0, (long) ((nextBeat - now()) * 1e9));
                byte[][] frames = outbox.poll(waitNanos, TimeUnit.NANOSECONDS);
                while (frames != null && !driver.closing()) {
                    if (!connected && frames != WAKE) {
                        socket.connect(endpoint);
                        connected = true;
                    }
                    if (frames != WAKE && !send(socket, frames)) {
                        driver.unsent(this, frames, "its socket's queue to the proxy is full (rpc_zmq.queue_hwm)");
                    }
                    frames = outbox.poll();
                    if (!roomWaiters.isEmpty() && hasRoom()) {
                        roomWaiters.forEach(Runnable::run);
                    }
                }
                while (ZMQ.Event.recv(monitor, ZMQ.DONTWAIT) != null) {
                    // The proxy forgot this connection's ATTACH with it: the home must say HELLO again.
                    senderLost = true;
                }
                double now = now();
                if (now >= nextBeat) {
                    if (up) {
                        send(socket, ZmqProtocol.message(ZmqProtocol.PING, ""));
                        for (byte[][] register : driver.registrations()) {
                            send(socket, register);
                        }
                    }
                    driver.sweepInFlight();
                    nextBeat = now + interval;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket.close();
            monitor.close();
        }
    }

    // ---- the receiving owner --------------------------------------------------------------------

    /**
     * The receiving socket and its monitor. JeroMQ redials a lost connection itself, under the
     * same identity; a Home is replaced (a new socket, a new identity) only when its connection
     * ended before the proxy WELCOMEd it (the proxy refused it: another connection holds the
     * identity) or when it has given no sign of life while down for {@link #stallLimit()}.
     * Confined to the receiving owner.
     */
    private final class Home {
        final ZMQ.Socket socket = socket(100);
        final ZMQ.Socket monitor = driver.context().createSocket(SocketType.PAIR);
        /** When the socket last showed life: a monitor event or a message (or its creation). */
        double lastSign = now();
        /** A connection finished its ZMTP handshake and the proxy has not WELCOMEd it yet. */
        boolean unwelcomed;

        Home(int generation) {
            socket.setIdentity(ZmqProtocol.bytes(freshIdentity()));
            socket.setReceiveTimeOut(RECEIVE_TICK_MS);
            String monitorAddress = "inproc://jeventlet-zmq-monitor-" + driver.replyAddress() + "-" + index
                    + "-" + generation;
            socket.monitor(monitorAddress, ZMQ.EVENT_ALL);
            monitor.connect(monitorAddress);
            socket.connect(endpoint);
        }

        void close() {
            socket.close();
            monitor.close();
        }
    }

    /**
     * How long a down home may go without any sign of life before it is replaced: JeroMQ 0.6.0
     * has left a new socket's connection silent for good (no event, no handshake timeout) after
     * a proxy restart. A socket that is redialling a proxy that is down reports every attempt,
     * at least once a second.
     */
    private double stallLimit() {
        double handshake = driver.handshakeTimeout() * (driver.curve() != null ? 5 : 1);
        return Math.max(3.0, 2 * Math.max(handshake, driver.heartbeatInterval()));
    }

    /**
     * A new random identity: a socket presents one of its own on every dial, so nobody can take
     * it before the socket connects (docs/PROTOCOL.md, "Identity"), and the proxy never makes one
     * up (it serves no connection that presents none).
     */
    private static String freshIdentity() {
        return "jz-" + io.jeventlet.rpc.spi.Ids.uuidHex();
    }

    void runReceiver() {
        int generation = 0;
        home = new Home(generation);
        try {
            while (!driver.closing()) {
                List<byte[]> frames = receive(home.socket);
                if (frames != null) {
                    lastHeard = now();
                    home.lastSign = lastHeard;
                    try {
                        if (!session(frames)) {
                            driver.received(this, frames);
                        }
                    } catch (RuntimeException e) {
                        // A handler's bug must not cost the socket its owner: log, drop, go on.
                        LOG.error("message from {} dropped: handling it failed", endpoint, e);
                    }
                }
                ZMQ.Event e;
                boolean refused = false;
                while ((e = ZMQ.Event.recv(home.monitor, ZMQ.DONTWAIT)) != null) {
                    home.lastSign = now();
                    refused |= onEvent(e);
                }
                double now = now();
                boolean stalled = !up && now - home.lastSign > stallLimit();
                if (refused || stalled) {
                    // Not JeroMQ's redial, which presents the same identity again: the proxy would
                    // refuse it for as long as another connection holds it. A new socket, a new identity.
                    LOG.debug("{}: replacing the receiving socket ({})", this,
                            refused ? "the proxy refused its connection" : "silent for " + stallLimit() + " s");
                    home.close();
                    home = new Home(++generation);
                    address = null;
                }
                if (senderLost) {
                    senderLost = false;
                    down("the sending connection was lost");
                }
                if (up && now - lastHeard > driver.registrationTtl()) {
                    down("silent for " + driver.registrationTtl() + " s");
                }
                if (!up && now - lastHello >= driver.heartbeatInterval()) {
                    hello(home.socket);
                }
            }
        } finally {
            up = false;
            home.close();
        }
    }

    private void hello(ZMQ.Socket socket) {
        lastHello = now();
        send(socket, ZmqProtocol.message(ZmqProtocol.HELLO, ""));
    }

    /** WELCOME and ATTACHED belong to the link, not the driver: true when {@code frames} was one. */
    private boolean session(List<byte[]> frames) {
        if (frames.size() < 3 || !ZmqProtocol.versionMatches(frames)) {
            return false;
        }
        String type = ZmqProtocol.text(frames.get(1));
        if (type.equals(ZmqProtocol.WELCOME) && frames.size() == 5) {
            address = ZmqProtocol.text(frames.get(3));
            home.unwelcomed = false;
            // The token proves to the proxy that the sending socket speaks for this one.
            byte[][] attach = ZmqProtocol.message(ZmqProtocol.ATTACH, "", frames.get(4));
            if (!enqueue(attach)) {
                LOG.warn("{}: cannot queue ATTACH (the outbound queue is full); trying again next heartbeat", this);
            }
            return true;
        }
        if (type.equals(ZmqProtocol.ATTACHED) && frames.size() == 3) {
            if (!up) {
                up = true;
                if (everUp) {
                    LOG.info("zmq proxy {} is reachable again", endpoint);
                    driver.events().reconnected("zmq proxy " + endpoint + " is reachable again");
                } else {
                    LOG.debug("zmq proxy {} is reachable", endpoint);
                }
                everUp = true;
                driver.linkUp(this);
            }
            return true;
        }
        return false;
    }

    private static double now() {
        return MonotonicClock.seconds();
    }

    /** Handles a receiving socket's event; true when a connection the proxy never WELCOMEd was lost. */
    private boolean onEvent(ZMQ.Event e) {
        LOG.debug("{}: socket event {} {}", endpoint, e.getEvent(), e.getValue());
        if (e.getEvent() == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
            // A (new) connection: the proxy knows this socket only once it says HELLO.
            home.unwelcomed = true;
            hello(home.socket);
        } else if (e.getEvent() == ZMQ.EVENT_DISCONNECTED) {
            down("the connection was lost");
            boolean refused = home.unwelcomed;
            home.unwelcomed = false;
            return refused;
        } else if (e.getEvent() == ZMQ.EVENT_CONNECT_RETRIED && !up) {
            problem = "no connection: the TCP connect fails (nothing listens there?); redialling";
        }
        return false;
    }

    private void down(String why) {
        problem = why;
        if (up) {
            up = false;
            LOG.warn("zmq proxy {} is unreachable: {}", endpoint, why);
            driver.events().emit(TransportEvent.Kind.DISCONNECTED, "proxy_unreachable", "zmq proxy " + endpoint + ": " + why);
            driver.linkDown(this);
        }
    }

    /** Sends without blocking; false when the socket's queue is full (the proxy is not reading). */
    private static boolean send(ZMQ.Socket socket, byte[][] frames) {
        if (!socket.send(frames[0], ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
            return false;
        }
        for (int i = 1; i < frames.length; i++) {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
        return true;
    }

    private static List<byte[]> receive(ZMQ.Socket socket) {
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(8);
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    @Override
    public String toString() {
        return "zmq link to proxy " + endpoint;
    }
}

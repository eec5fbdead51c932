package io.jeventlet.rpc.zmq;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A driver's connection to one proxy: a DEALER socket whose identity is the
 * driver's reply address, and the green thread that owns it. Thread-safe:
 * {@link #enqueue} and {@link #up()} from any thread; the rest runs in the
 * owner green thread on the driver's {@link SocketHub}.
 *
 * <p>Overview: the owner loops on one poll over the DEALER, a monitor socket
 * (connect/disconnect events) and its {@link Waker}. Each turn it sends what
 * other threads queued, receives what arrived, and on the heartbeat beat
 * sends PING and renews the driver's registrations. The link is <em>up</em>
 * once the proxy answered since the TCP connection was made, and goes
 * <em>down</em> on a disconnect or when the proxy has been silent for the
 * registration TTL; going up re-registers at once (a restarted proxy knows
 * nothing), going down hands the driver the calls in flight through it.
 */
final class ProxyLink {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyLink.class);
    private static final int BATCH = 512;

    final String endpoint;
    private final ZmqDriver driver;
    private final int index;
    private final ConcurrentLinkedQueue<byte[][]> outbox = new ConcurrentLinkedQueue<>();
    private final Waker waker = new Waker();
    private volatile boolean up;
    /** Owner-only: a TCP connection exists; the time the proxy was last heard from. */
    private boolean connected;
    private double lastHeard;
    private boolean everUp;

    ProxyLink(ZmqDriver driver, int index, String endpoint) {
        this.driver = driver;
        this.index = index;
        this.endpoint = endpoint;
    }

    /** This link's bit in a set of links tried for a call. */
    long bit() {
        return 1L << index;
    }

    /** True while the proxy is known to answer. */
    boolean up() {
        return up;
    }

    /** Queues a message for the owner to send. Any thread. */
    void enqueue(byte[][] frames) {
        outbox.offer(frames);
        waker.wake();
    }

    /** Wakes the owner (to see the driver closing, or a registration to send). Any thread. */
    void wake() {
        waker.wake();
    }

    // ---- the owner green thread -----------------------------------------------------------------

    void run() {
        ZMQ.Socket socket = driver.context().createSocket(SocketType.DEALER);
        ZMQ.Socket monitor = driver.context().createSocket(SocketType.PAIR);
        ZMQ.Poller poller = driver.context().createPoller(3);
        try {
            socket.setIdentity(ZmqProtocol.bytes(driver.replyAddress()));
            socket.setLinger(0);
            socket.setSndHWM(100_000);
            socket.setRcvHWM(100_000);
            socket.setReconnectIVL(100);
            socket.setReconnectIVLMax(1000);
            // JeroMQ now and then leaves a fresh connection's ZMTP handshake hanging (seen here
            // about once in a hundred connects); its default 30 s handshake limit would keep the
            // link down that long. A stalled handshake is dropped and redialled after one TTL.
            socket.setHandshakeIvl((int) (driver.registrationTtl() * 1000));
            socket.setMaxMsgSize(driver.maxBody() + ZmqProtocol.FRAME_OVERHEAD + 65_536);
            if (driver.curve() != null) {
                driver.curve().applyClient(socket);
            }
            String monitorAddress = "inproc://jeventlet-zmq-monitor-" + driver.replyAddress() + "-" + index;
            socket.monitor(monitorAddress, ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED);
            monitor.connect(monitorAddress);
            socket.connect(endpoint);
            poller.register(socket, ZMQ.Poller.POLLIN);
            poller.register(monitor, ZMQ.Poller.POLLIN);
            poller.register(waker.source(), ZMQ.Poller.POLLIN);
            double interval = driver.heartbeatInterval();
            double nextBeat = now() + interval;
            while (!driver.closing()) {
                poller.poll(Math.max(0, (long) Math.ceil((nextBeat - now()) * 1000)));
                waker.drain();
                flush(socket);
                for (int i = 0; i < BATCH; i++) {
                    List<byte[]> frames = receive(socket);
                    if (frames == null) {
                        break;
                    }
                    heard();
                    try {
                        driver.received(this, frames);
                    } catch (RuntimeException e) {
                        // A handler's bug must not cost the socket its owner: log, drop, go on.
                        LOG.error("message from {} dropped: handling it failed", endpoint, e);
                    }
                }
                while (true) {
                    ZMQ.Event e = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT);
                    if (e == null) {
                        break;
                    }
                    onEvent(e, socket);
                }
                double now = now();
                if (now >= nextBeat) {
                    beat(socket, now);
                    nextBeat = now + interval;
                }
            }
        } finally {
            up = false;
            poller.close();
            socket.close();
            monitor.close();
            waker.close();
        }
    }

    private static double now() {
        return System.nanoTime() / 1e9;
    }

    private void onEvent(ZMQ.Event e, ZMQ.Socket socket) {
        LOG.debug("{}: socket event {} {} {}", endpoint, e.getEvent(), e.getAddress(), e.getValue());
        if (e.getEvent() == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
            connected = true;
            send(socket, ZmqProtocol.message(ZmqProtocol.PING, ""));
        } else if (e.getEvent() == ZMQ.EVENT_DISCONNECTED) {
            connected = false;
            down("the connection was lost");
        }
    }

    private void heard() {
        lastHeard = now();
        if (!up) {
            connected = true;
            up = true;
            if (everUp) {
                LOG.info("zmq proxy {} is reachable again", endpoint);
            } else {
                LOG.debug("zmq proxy {} is reachable", endpoint);
            }
            everUp = true;
            driver.linkUp(this);
        }
    }

    private void down(String why) {
        if (up) {
            up = false;
            LOG.warn("zmq proxy {} is unreachable: {}", endpoint, why);
            driver.linkDown(this);
        }
    }

    private void beat(ZMQ.Socket socket, double now) {
        if (up && now - lastHeard > driver.registrationTtl()) {
            down("silent for " + driver.registrationTtl() + " s");
        }
        send(socket, ZmqProtocol.message(ZmqProtocol.PING, ""));
        if (connected || up) {
            for (byte[][] register : driver.registrations()) {
                send(socket, register);
            }
        }
        driver.sweepInFlight();
    }

    private void flush(ZMQ.Socket socket) {
        byte[][] frames;
        while ((frames = outbox.poll()) != null) {
            if (!send(socket, frames)) {
                driver.unsent(this, frames);
            }
        }
    }

    /** Sends without blocking; false when the socket's queue is full (the proxy is not reading). */
    private boolean send(ZMQ.Socket socket, byte[][] frames) {
        if (!socket.send(frames[0], ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
            return false;
        }
        for (int i = 1; i < frames.length; i++) {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
        return true;
    }

    private static List<byte[]> receive(ZMQ.Socket socket) {
        byte[] first = socket.recv(ZMQ.DONTWAIT);
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

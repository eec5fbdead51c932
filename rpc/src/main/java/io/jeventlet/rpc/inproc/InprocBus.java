package io.jeventlet.rpc.inproc;

import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.ReplyHandler;
import io.jeventlet.rpc.spi.TransportEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code inproc://NAME} bus: the routing table every transport of that
 * name in this JVM shares. Thread-safe.
 *
 * <p>Overview: a server's listener subscribes its handler to three groups —
 * {@code exchange/topic} (shared round-robin with the topic's other
 * servers), {@code exchange/topic.server} (round-robin among servers of the
 * same name) and the topic's fanout (every subscriber; keyed by topic alone,
 * as oslo's rabbit driver names its fanout exchange by topic). A send picks
 * the receivers under the lock and calls their handlers after it, on the
 * sender's thread: a handler only hands the body to its server's hub with
 * {@code Hub.callThreadsafe} and returns, so the bus owns no thread, and a
 * virtual-clock hub cannot advance time while the hand-over is queued (its
 * inbox is not empty). Replies go to the {@link ReplyHandler} registered
 * under the request's reply address, the same way.
 *
 * <p>The bus is created on the first transport of its name and forgotten
 * when the last one closes.
 */
final class InprocBus {
    private static final Logger LOG = LoggerFactory.getLogger(InprocBus.class);
    private static final Map<String, InprocBus> BUSES = new HashMap<>();

    final String name;
    private int users;
    private final Map<String, Group> topics = new HashMap<>();
    private final Map<String, Group> servers = new HashMap<>();
    private final Map<String, Group> fanouts = new HashMap<>();
    private final Map<String, ReplyHandler> replyRoutes = new ConcurrentHashMap<>();
    /** The bus's notification queues. */
    final InprocNotifications notifications;

    private InprocBus(String name) {
        this.name = name;
        this.notifications = new InprocNotifications(name);
    }

    /** The bus called {@code name}, created on first use; pair with {@link #release()}. */
    static InprocBus acquire(String name) {
        synchronized (BUSES) {
            InprocBus bus = BUSES.computeIfAbsent(name, InprocBus::new);
            bus.users++;
            return bus;
        }
    }

    /** One user fewer; the last one forgets the bus. */
    void release() {
        synchronized (BUSES) {
            if (--users == 0 && BUSES.get(name) == this) {
                BUSES.remove(name);
            }
        }
    }

    /** The subscribers of one routing key, served round-robin. */
    private static final class Group {
        final List<Subscription> subs = new ArrayList<>();
        int next;

        Subscription pick(Subscription exclude) {
            int n = subs.size();
            for (int i = 0; i < n; i++) {
                Subscription s = subs.get(Math.floorMod(next++, n));
                if (s != exclude) {
                    return s;
                }
            }
            return null;
        }
    }

    /** One listener's handler; removed from every group when the listener stops. */
    static final class Subscription {
        final Address target;
        final IncomingHandler handler;

        Subscription(Address target, IncomingHandler handler) {
            this.target = target;
            this.handler = handler;
        }
    }

    private static String topicKey(Address t) {
        return t.exchange() + "/" + t.topic();
    }

    private static String serverKey(Address t) {
        return t.exchange() + "/" + t.topic() + "." + t.server();
    }

    Subscription subscribe(Address target, IncomingHandler handler) {
        Subscription s = new Subscription(target, handler);
        synchronized (this) {
            topics.computeIfAbsent(topicKey(target), k -> new Group()).subs.add(s);
            servers.computeIfAbsent(serverKey(target), k -> new Group()).subs.add(s);
            fanouts.computeIfAbsent(target.topic(), k -> new Group()).subs.add(s);
        }
        return s;
    }

    void unsubscribe(Subscription s) {
        synchronized (this) {
            remove(topics, topicKey(s.target), s);
            remove(servers, serverKey(s.target), s);
            remove(fanouts, s.target.topic(), s);
        }
    }

    private static void remove(Map<String, Group> groups, String key, Subscription s) {
        Group g = groups.get(key);
        if (g != null) {
            g.subs.remove(s);
            if (g.subs.isEmpty()) {
                groups.remove(key);
            }
        }
    }

    void addReplyRoute(String address, ReplyHandler handler) {
        replyRoutes.put(address, handler);
    }

    void removeReplyRoute(String address) {
        replyRoutes.remove(address);
    }

    /**
     * Delivers a request on the caller's thread.
     *
     * @throws DeliveryException when no server is subscribed to a
     *         directed target (a fanout to nobody is dropped and emitted to
     *         the sender's {@code events} as {@code no_fanout_receiver})
     */
    void send(Address target, OutgoingMessage message, String senderReplyAddress, TransportEvents events) {
        if (target.fanout()) {
            List<Subscription> receivers;
            synchronized (this) {
                Group g = fanouts.get(target.topic());
                receivers = g == null ? List.of() : List.copyOf(g.subs);
            }
            if (receivers.isEmpty()) {
                LOG.debug("inproc://{}: fanout to topic '{}' reached no server; dropped", name, target.topic());
                events.dropped("no_fanout_receiver", "fanout to topic '" + target.topic() + "' reached no server");
            }
            for (Subscription s : receivers) {
                s.handler.onMessage(new Incoming(this, message, false, null, null, s));
            }
            return;
        }
        boolean direct = target.server() != null;
        String key = direct ? serverKey(target) : topicKey(target);
        Subscription s = pick(direct, key, null);
        if (s == null) {
            throw new DeliveryException("inproc://" + name + ": no server is listening on " + describe(target)
                    + " (exchange '" + target.exchange() + "')");
        }
        s.handler.onMessage(new Incoming(this, message, direct, key, senderReplyAddress, s));
    }

    private synchronized Subscription pick(boolean direct, String key, Subscription exclude) {
        Group g = direct ? servers.get(key) : topics.get(key);
        return g == null ? null : g.pick(exclude);
    }

    private static String describe(Address t) {
        return t.server() != null ? "topic '" + t.topic() + "' server '" + t.server() + "'" : "topic '" + t.topic() + "'";
    }

    /** Gives a request back: to another server of its routing key, else a call's caller fails at once. */
    private void redeliver(Incoming in) {
        if (in.key == null) {
            LOG.debug("inproc://{}: a requeued fanout copy is dropped (every server got its own)", name);
            return;
        }
        Subscription s = pick(in.direct, in.key, in.to);
        if (s != null) {
            s.handler.onMessage(new Incoming(this, in.message, in.direct, in.key, in.senderReplyAddress, s));
            return;
        }
        if (in.message.isCall()) {
            ReplyHandler route = replyRoutes.get(in.senderReplyAddress);
            if (route != null) {
                route.onUndeliverable(in.message.msgId(), new DeliveryException("inproc://" + name
                        + ": the server given the request stopped before running it and no other server listens on "
                        + in.key));
            }
        } else {
            LOG.warn("inproc://{}: a cast given back by a stopping server is dropped: no other server listens on {}",
                    name, in.key);
        }
    }

    private void reply(String address, byte[] body) {
        ReplyHandler route = replyRoutes.get(address);
        if (route == null) {
            LOG.debug("inproc://{}: reply to {} dropped: that transport is closed", name, address);
            return;
        }
        route.onReply(body);
    }

    /**
     * A delivered request. {@code key} is its routing key (null for a fanout
     * copy), a {@code topic.server} key when {@code direct}; {@code to} the
     * subscription it was given to. Thread-safe (immutable).
     */
    private static final class Incoming implements IncomingMessage {
        final InprocBus bus;
        final OutgoingMessage message;
        final boolean direct;
        final String key;
        final String senderReplyAddress;
        final Subscription to;

        Incoming(InprocBus bus, OutgoingMessage message, boolean direct, String key, String senderReplyAddress,
                Subscription to) {
            this.bus = bus;
            this.message = message;
            this.direct = direct;
            this.key = key;
            this.senderReplyAddress = senderReplyAddress;
            this.to = to;
        }

        @Override
        public byte[] body() {
            return message.body();
        }

        @Override
        public void reply(String replyAddress, byte[] body) {
            bus.reply(replyAddress, body);
        }

        @Override
        public void acknowledge() {
        }

        @Override
        public void requeue() {
            bus.redeliver(this);
        }
    }
}

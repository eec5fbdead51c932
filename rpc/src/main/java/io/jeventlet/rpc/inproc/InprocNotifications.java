package io.jeventlet.rpc.inproc;

import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.NotificationDriver.Binding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification queues of one {@code inproc://} bus, modelled on what
 * oslo's rabbit driver declares: a queue has a name and bindings
 * ({@code exchange/routingKey}); a notification goes to every queue bound to
 * its key; a queue's consumers share its messages round-robin, and a queue
 * without consumers keeps them (up to {@link #BACKLOG_LIMIT}, then drops the
 * oldest and counts). Publishing declares the default queue named after the
 * routing key, so nothing sent before a listener starts is lost. Thread-safe.
 *
 * <p>Overview: receivers are picked under the lock and handed the message
 * after it, on the caller's thread (a handler only hands over to its hub),
 * as {@link InprocBus} does for requests, so virtual time works the same. A
 * message given back ({@link IncomingMessage#requeue()}) goes to another
 * consumer of its queue, else to the head of its backlog; a listener
 * cancels its consumer before it refuses deliveries, so a refused message
 * never comes straight back to it.
 */
final class InprocNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(InprocNotifications.class);
    /** Messages a queue without consumers keeps; past it the oldest is dropped and counted. */
    static final int BACKLOG_LIMIT = 100_000;

    private final String busName;
    private final Map<String, Set<String>> bindings = new HashMap<>();
    private final Map<String, Queue> queues = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    InprocNotifications(String busName) {
        this.busName = busName;
    }

    /** One queue: its consumers (round-robin) and what waits for one. Guarded by the outer lock. */
    private static final class Queue {
        final String name;
        final List<Consumer> consumers = new ArrayList<>();
        final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
        int next;

        Queue(String name) {
            this.name = name;
        }

        Consumer pick(Consumer exclude) {
            int n = consumers.size();
            for (int i = 0; i < n; i++) {
                Consumer c = consumers.get(Math.floorMod(next++, n));
                if (c != exclude) {
                    return c;
                }
            }
            return null;
        }
    }

    /** A listener's consumption of its queues; {@link #cancel()} stops new deliveries to it. */
    final class Consumer {
        private final IncomingHandler handler;
        private final List<Queue> consumed = new ArrayList<>();

        private Consumer(IncomingHandler handler) {
            this.handler = handler;
        }

        void cancel() {
            synchronized (InprocNotifications.this) {
                for (Queue q : consumed) {
                    q.consumers.remove(this);
                }
                consumed.clear();
            }
        }
    }

    private static String key(String exchange, String routingKey) {
        return exchange + "/" + routingKey;
    }

    private Queue declare(String name, String exchange, String routingKey) {
        Queue q = queues.computeIfAbsent(name, Queue::new);
        bindings.computeIfAbsent(key(exchange, routingKey), k -> new LinkedHashSet<>()).add(name);
        return q;
    }

    /** Routes {@code body} to every queue bound to {@code exchange/routingKey}. */
    void publish(String exchange, String routingKey, byte[] body) {
        List<Delivery> out = new ArrayList<>();
        synchronized (this) {
            declare(routingKey, exchange, routingKey);
            for (String name : bindings.get(key(exchange, routingKey))) {
                Delivery d = enqueue(queues.get(name), body, null, false);
                if (d != null) {
                    out.add(d);
                }
            }
        }
        for (Delivery d : out) {
            d.run();
        }
    }

    /** Under the lock: a delivery to a consumer of {@code q}, or null after keeping the body in its backlog. */
    private Delivery enqueue(Queue q, byte[] body, Consumer exclude, boolean head) {
        Consumer c = q.pick(exclude);
        if (c != null) {
            return new Delivery(c, new Incoming(q, c, body));
        }
        if (head) {
            q.backlog.addFirst(body);
        } else {
            q.backlog.addLast(body);
        }
        if (q.backlog.size() > BACKLOG_LIMIT) {
            q.backlog.pollFirst();
            if (dropped.getAndIncrement() % 10_000 == 0) {
                LOG.warn("inproc://{}: notification queue '{}' has no consumer and holds {} messages; dropping the"
                        + " oldest ({} dropped in all)", busName, q.name, BACKLOG_LIMIT, dropped.get());
            }
        }
        return null;
    }

    /** Consumes {@code bindings} into {@code pool} (null: each key's own queue); hands over any backlog. */
    Consumer consume(List<Binding> wanted, String pool, IncomingHandler handler) {
        Consumer c = new Consumer(handler);
        List<Delivery> out = new ArrayList<>();
        synchronized (this) {
            Set<Queue> qs = new LinkedHashSet<>();
            for (Binding b : wanted) {
                qs.add(declare(pool != null ? pool : b.routingKey(), b.exchange(), b.routingKey()));
            }
            for (Queue q : qs) {
                q.consumers.add(c);
                c.consumed.add(q);
                while (!q.backlog.isEmpty()) {
                    out.add(new Delivery(c, new Incoming(q, c, q.backlog.pollFirst())));
                }
            }
        }
        for (Delivery d : out) {
            d.run();
        }
        return c;
    }

    /**
     * Gives {@code in} back to its queue: to the next consumer (the same one
     * again when it still consumes, as a broker does), else the head of the backlog.
     */
    private void requeue(Incoming in) {
        Delivery d;
        synchronized (this) {
            d = enqueue(in.queue, in.body, in.queue.consumers.contains(in.to) ? null : in.to, true);
        }
        if (d != null) {
            d.run();
        }
    }

    /** Messages dropped from full backlogs. */
    long dropped() {
        return dropped.get();
    }

    private record Delivery(Consumer to, Incoming message) {
        void run() {
            to.handler.onMessage(message);
        }
    }

    /** A delivered notification. Acknowledging forgets it; requeueing gives it back. Thread-safe. */
    private final class Incoming implements IncomingMessage {
        final Queue queue;
        final Consumer to;
        final byte[] body;

        Incoming(Queue queue, Consumer to, byte[] body) {
            this.queue = queue;
            this.to = to;
            this.body = body;
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public void reply(String replyAddress, byte[] replyBody) {
        }

        @Override
        public void acknowledge() {
        }

        @Override
        public void requeue() {
            InprocNotifications.this.requeue(this);
        }
    }
}

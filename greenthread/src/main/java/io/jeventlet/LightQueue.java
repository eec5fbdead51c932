package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Seconds;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * eventlet's {@code LightQueue}: a multi-producer, multi-consumer queue between
 * green threads, without task tracking (see {@link Queue} for
 * {@code taskDone}/{@code join}).
 *
 * <pre>{@code
 * LightQueue<String> q = new LightQueue<>(100);       // at most 100 stored
 * Eventlet.spawnN(() -> updates.forEach(q::put));     // waits while the queue is full
 * String first = q.get();                             // waits while it is empty
 * }</pre>
 *
 * <p>{@code maxsize < 0} is unbounded; {@code maxsize == 0} is a channel: a
 * {@code put} blocks until a getter takes the item, and {@link #empty()} and
 * {@link #full()} are both true. Blocked getters and blocked putters are
 * served first come, first served; {@code null} items are rejected.
 *
 * <p>Thread rule: Hub-confined — use a queue only from the green threads (and
 * callbacks) of one hub. The non-blocking calls also work from a hub callback.
 * A queue is bound to the hub of its first call that blocks or serves a
 * blocked green thread; such a call from another hub is an
 * {@link IllegalStateException} (hand items between hubs with
 * {@link Hub#callThreadsafe}, or a {@code java.util.concurrent} queue).
 *
 * <p>Guarantees: an item is never lost nor delivered twice, even when a
 * waiting getter or putter is killed or times out; a getter killed after an
 * item was handed to it but before it resumed passes the item on to the next
 * waiting getter, or back to the front of the queue.
 *
 * <p>Overview: unlike eventlet, which defers the hand-over to an
 * {@code _unlock} timer, every operation completes the hand-over itself, at
 * once, while it runs (only one green thread of a hub runs at a time, so the
 * plain fields need no lock). Invariants between operations:
 * <ul>
 * <li>a getter waits in {@code getters} only while no item is stored, so a
 * {@code put} that finds a getter hands its item straight to the first one;
 * <li>a putter waits in {@code putters} only while the store is full (or the
 * queue is a channel), so a {@code get} that frees a slot moves the first
 * putter's item into the store at once, and a newcomer can never overtake a
 * waiting putter or getter;
 * <li>a waiter leaves its deque when it is served (its {@code state} says so)
 * or, in its own {@code finally}, when it gives up (timeout, kill).
 * </ul>
 * A served waiter is woken with {@link Greenlet#wake()}; since park may
 * return spuriously every wait loops over its waiter's state (no lost
 * wake-up). On a channel the putter also waits until the getter has really
 * resumed with the item ({@code IN_FLIGHT} until then), as eventlet's put
 * only returns after the getter ran; if that getter dies first the putter
 * goes back to the front of {@code putters}.
 */
public class LightQueue<T> {
    /** Where a waiter is: queued, handed an item not yet taken (channel putters), finished, or gone. */
    private enum State { WAITING, IN_FLIGHT, DONE, ABANDONED }

    /** One blocked getter or putter. */
    private static final class Waiter<T> {
        final Greenlet greenlet;
        /** For a putter, the item it puts; for a getter, the item handed to it (null until then). */
        T item;
        State state = State.WAITING;
        /** For a getter, the channel putter to release once the item is really taken, or null. */
        Waiter<T> source;

        Waiter(Greenlet greenlet, T item) {
            this.greenlet = greenlet;
            this.item = item;
        }
    }

    private final Items<T> items;
    private final ArrayDeque<Waiter<T>> getters = new ArrayDeque<>();
    private final ArrayDeque<Waiter<T>> putters = new ArrayDeque<>();
    private int maxsize;
    /** The hub it is bound to; null until a call blocks or serves a waiter. */
    private Hub hub;

    /** An unbounded queue. */
    public LightQueue() {
        this(-1);
    }

    /** A queue of at most {@code maxsize} items; negative is unbounded, 0 is a channel. */
    public LightQueue(int maxsize) {
        this(maxsize, Items.fifo());
    }

    LightQueue(int maxsize, Items<T> items) {
        this.maxsize = maxsize;
        this.items = items;
    }

    /** Puts {@code item}, blocking as long as the queue is full (on a channel: until a getter takes it). */
    public void put(T item) {
        put(item, true, Double.POSITIVE_INFINITY);
    }

    /**
     * Puts {@code item}. When the queue is full: with {@code block}, waits at
     * most {@code timeoutSeconds} for a free slot and then throws {@link Full};
     * without, throws {@link Full} at once (the timeout is then only checked).
     */
    public void put(T item, boolean block, double timeoutSeconds) {
        Objects.requireNonNull(item, "item");
        Seconds.check("timeoutSeconds", timeoutSeconds);
        if (!getters.isEmpty()) {
            enter();
        }
        Waiter<T> getter = getters.pollFirst();
        if (getter != null) {
            accepted();
            if (maxsize == 0 && block) {
                awaitTaken(getter, item, timeoutSeconds);
            } else {
                handTo(getter, item, null);
            }
            return;
        }
        if (hasRoom()) {
            items.add(item);
            accepted();
            return;
        }
        if (!block) {
            throw new Full("queue is full (maxsize=" + maxsize + ", qsize=" + qsize() + ")");
        }
        Greenlet me = enter();
        double deadline = Seconds.deadline(me.hub(), timeoutSeconds);
        Waiter<T> w = new Waiter<>(me, item);
        putters.addLast(w);
        waitPut(w, deadline, timeoutSeconds);
    }

    /** Puts {@code item} if that needs no waiting (on a channel: if a getter waits), else throws {@link Full}. */
    public void putNowait(T item) {
        put(item, false, 0);
    }

    /** Takes the next item, blocking until there is one. */
    public T get() {
        return get(true, Double.POSITIVE_INFINITY);
    }

    /**
     * Takes the next item. When there is none: with {@code block}, waits at
     * most {@code timeoutSeconds} and then throws {@link Empty}; without,
     * throws {@link Empty} at once (the timeout is then only checked).
     */
    public T get(boolean block, double timeoutSeconds) {
        Seconds.check("timeoutSeconds", timeoutSeconds);
        if (!putters.isEmpty()) {
            enter();
        }
        if (items.size() > 0) {
            T item = items.remove();
            admitPutters();
            return item;
        }
        Waiter<T> putter = putters.pollFirst();
        if (putter != null) {
            // A channel (or a queue resized to 0): take the item straight from the first putter.
            accepted();
            finish(putter);
            return putter.item;
        }
        if (!block) {
            throw new Empty("queue is empty");
        }
        Greenlet me = enter();
        double deadline = Seconds.deadline(me.hub(), timeoutSeconds);
        Waiter<T> w = new Waiter<>(me, null);
        getters.addLast(w);
        return waitGet(w, deadline, timeoutSeconds);
    }

    /** Takes the next item if there is one (on a channel: if a putter waits), else throws {@link Empty}. */
    public T getNowait() {
        return get(false, 0);
    }

    /** The number of items stored (a channel stores none). */
    public int qsize() {
        return items.size();
    }

    /** True if no item is stored. */
    public boolean empty() {
        return items.size() == 0;
    }

    /** True if a put would block; an unbounded queue is never full, a channel always is. */
    public boolean full() {
        return maxsize >= 0 && items.size() >= maxsize;
    }

    /** The number of green threads blocked in {@code get}. */
    public int getting() {
        return getters.size();
    }

    /** The number of green threads blocked in {@code put}. */
    public int putting() {
        return putters.size();
    }

    /** The maximum size; negative means unbounded. */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Changes the maximum size (negative: unbounded). Growing admits blocked
     * putters at once; shrinking keeps the items already stored.
     */
    public void resize(int newMaxsize) {
        if (!putters.isEmpty()) {
            enter();
        }
        maxsize = newMaxsize;
        admitPutters();
    }

    /** The caller's greenlet, after binding the queue to its hub or checking it is that hub. */
    final Greenlet enter() {
        Greenlet me = Greenlet.current();
        hub = Confinement.bind(hub, me.hub(), this);
        return me;
    }

    /** Hook: an item entered the queue (stored, or handed to a getter). {@link Queue} counts tasks here. */
    void accepted() {
    }

    private boolean hasRoom() {
        return maxsize < 0 || items.size() < maxsize;
    }

    /** Moves blocked putters' items into the store while there is room, first come first. */
    private void admitPutters() {
        while (!putters.isEmpty() && hasRoom()) {
            Waiter<T> p = putters.pollFirst();
            items.add(p.item);
            accepted();
            finish(p);
        }
    }

    private void handTo(Waiter<T> getter, T item, Waiter<T> source) {
        getter.item = item;
        getter.source = source;
        finish(getter);
    }

    private static void finish(Waiter<?> w) {
        w.state = State.DONE;
        w.greenlet.wake();
    }

    /** A channel put that found a getter: hand the item over, then wait until the getter took it. */
    private void awaitTaken(Waiter<T> getter, T item, double timeoutSeconds) {
        Greenlet me = Greenlet.current();
        double deadline = Seconds.deadline(me.hub(), timeoutSeconds);
        Waiter<T> w = new Waiter<>(me, item);
        w.state = State.IN_FLIGHT;
        handTo(getter, item, w);
        waitPut(w, deadline, timeoutSeconds);
    }

    private void waitPut(Waiter<T> w, double deadline, double timeoutSeconds) {
        Greenlet me = w.greenlet;
        try {
            while (w.state != State.DONE) {
                if (w.state == State.IN_FLIGHT) {
                    // A getter holds the item and is about to resume: the deadline no longer applies.
                    me.waitFor(() -> w.state != State.IN_FLIGHT);
                } else if (!me.waitFor(() -> w.state != State.WAITING, deadline)) {
                    throw new Full("queue stayed full for " + timeoutSeconds + " seconds (maxsize=" + maxsize + ")");
                }
            }
        } finally {
            if (w.state == State.WAITING) {
                putters.remove(w);
            }
            if (w.state != State.DONE) {
                w.state = State.ABANDONED;
            }
        }
    }

    private T waitGet(Waiter<T> w, double deadline, double timeoutSeconds) {
        Greenlet me = w.greenlet;
        boolean taken = false;
        try {
            if (!me.waitFor(() -> w.state == State.DONE, deadline)) {
                throw new Empty("queue stayed empty for " + timeoutSeconds + " seconds");
            }
            taken = true;
            if (w.source != null && w.source.state == State.IN_FLIGHT) {
                finish(w.source);
            }
            return w.item;
        } finally {
            if (w.state == State.WAITING) {
                getters.remove(w);
            } else if (!taken) {
                passOn(w.item, w.source);
            }
        }
    }

    /**
     * An item handed to a getter that died before taking it: to the next
     * getter, else back to its channel putter (front of the line), else to
     * the front of the store. Never lost, never duplicated.
     */
    private void passOn(T item, Waiter<T> source) {
        Waiter<T> next = getters.pollFirst();
        if (next != null) {
            handTo(next, item, source);
            return;
        }
        if (source != null && source.state == State.IN_FLIGHT) {
            // Back to waiting, with its own deadline again: wake it so it re-parks with its timer.
            source.state = State.WAITING;
            putters.addFirst(source);
            source.greenlet.wake();
            admitPutters();
            return;
        }
        items.restore(item);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[maxsize=" + maxsize + ", qsize=" + items.size()
                + ", getting=" + getters.size() + ", putting=" + putters.size() + "]";
    }

    /** How a queue stores its items: FIFO, LIFO or by priority. */
    interface Items<T> {
        void add(T item);

        /** Removes the item to be got next; only called when size() > 0. */
        T remove();

        /** Puts back an item that was removed but not delivered, so it is got next. */
        void restore(T item);

        int size();

        static <T> Items<T> fifo() {
            ArrayDeque<T> d = new ArrayDeque<>();
            return new Items<>() {
                public void add(T item) { d.addLast(item); }
                public T remove() { return d.pollFirst(); }
                public void restore(T item) { d.addFirst(item); }
                public int size() { return d.size(); }
            };
        }

        static <T> Items<T> lifo() {
            ArrayDeque<T> d = new ArrayDeque<>();
            return new Items<>() {
                public void add(T item) { d.addLast(item); }
                public T remove() { return d.pollLast(); }
                public void restore(T item) { d.addLast(item); }
                public int size() { return d.size(); }
            };
        }
    }
}

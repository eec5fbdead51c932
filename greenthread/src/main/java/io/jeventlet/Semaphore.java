package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Seconds;
import java.util.ArrayDeque;

/**
 * eventlet's {@code Semaphore}: a counter of permits; {@link #acquire()} takes
 * one, waiting while there is none, and {@link #release()} gives one back.
 * Unbounded: releasing more than was acquired raises the counter (see
 * {@link BoundedSemaphore} and {@link CappedSemaphore} for the bounded kinds).
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(4);
 * if (connections.acquire(true, 2.0)) {               // waits at most 2 s for one of 4 permits
 *     try {
 *         talk();
 *     } finally {
 *         connections.release();
 *     }
 * }
 * }</pre>
 *
 * <p>Thread rule: Hub-confined — use it only from the green threads (and
 * callbacks) of one hub; {@code release} and the non-blocking
 * {@code acquire} also work from a hub callback. It is bound to the hub of
 * its first waiter; a blocking acquire, or a release that serves a waiter,
 * from another hub is an {@link IllegalStateException}.
 *
 * <p>Guarantees: waiters are served first come, first served — a release
 * hands its permit to the first waiter, and a newcomer cannot take a permit
 * while anyone waits. A waiter that is killed or times out after a permit was
 * handed to it, but before it resumed, passes that permit on, so no permit is
 * ever lost.
 *
 * <p>Overview: invariant between operations: {@code counter > 0} implies no
 * waiter (a release with waiters never raises the counter, it marks the first
 * waiter {@code granted} and wakes it). {@code counter} may go below zero only
 * through {@link #debit()}, {@link CappedSemaphore}'s undo, as eventlet's
 * {@code counter -= 1}; releases then pay that debt before any waiter is
 * served, as in eventlet. A waiter loops over {@code granted} (park may return
 * spuriously, so no wake-up is lost) and removes itself in {@code finally}
 * when it leaves without a permit.
 */
public class Semaphore {
    /** One blocked acquirer; {@code granted} once a release handed it a permit. */
    private static final class Waiter {
        final Greenlet greenlet;
        boolean granted;

        Waiter(Greenlet greenlet) {
            this.greenlet = greenlet;
        }
    }

    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int counter;
    /** The hub of its first waiter; null until then. */
    private Hub hub;

    /** A semaphore with {@code value} permits; negative is an {@link IllegalArgumentException}. */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore value = " + value + " is not valid: must be >= 0");
        }
        this.counter = value;
    }

    /** Takes a permit, waiting as long as needed; returns true. */
    public boolean acquire() {
        return acquire(true, Double.POSITIVE_INFINITY);
    }

    /**
     * Takes a permit. Without {@code blocking}, returns false at once if none
     * is free (the timeout is then only checked); with it, waits at most
     * {@code timeoutSeconds} and returns false if that passes first.
     */
    public boolean acquire(boolean blocking, double timeoutSeconds) {
        Seconds.check("timeoutSeconds", timeoutSeconds);
        if (counter > 0 && waiters.isEmpty()) {
            counter--;
            return true;
        }
        if (!blocking) {
            return false;
        }
        Greenlet me = Greenlet.current();
        hub = Confinement.bind(hub, me.hub(), this);
        double deadline = Seconds.deadline(me.hub(), timeoutSeconds);
        Waiter w = new Waiter(me);
        waiters.addLast(w);
        boolean kept = false;
        try {
            if (!me.waitFor(() -> w.granted, deadline)) {
                return false;
            }
            kept = true;
            return true;
        } finally {
            if (!w.granted) {
                waiters.remove(w);
            } else if (!kept) {
                // Granted, then killed before it resumed: the permit goes to the next in line.
                releasePermit();
            }
        }
    }

    /** Gives a permit back: to the first waiter if any, else to the counter. */
    public void release() {
        if (!waiters.isEmpty()) {
            hub = Confinement.bind(hub, Hub.get(), this);
        }
        releasePermit();
    }

    private void releasePermit() {
        if (counter >= 0) {
            Waiter w = waiters.pollFirst();
            if (w != null) {
                w.granted = true;
                w.greenlet.wake();
                return;
            }
        }
        counter++;
    }

    /** True if an acquire would block. */
    public boolean locked() {
        return counter <= 0 || !waiters.isEmpty();
    }

    /**
     * Free permits minus blocked acquirers: positive, how many acquires would
     * not block; negative, how many releases the waiters need.
     */
    public int balance() {
        return counter - waiters.size();
    }

    /** The number of free permits (negative only after {@link CappedSemaphore}'s undo). */
    public int counter() {
        return counter;
    }

    /** Takes one permit back without waiting, even below zero (eventlet's {@code counter -= 1}). */
    void debit() {
        counter--;
    }

    /**
     * Adds {@code delta} permits (eventlet's {@code counter += delta}, as
     * GreenPool's resize does): a positive delta first pays any debt, then
     * serves waiters in order, then raises the counter; a negative one lowers
     * the counter, below zero if need be.
     */
    void adjust(int delta) {
        while (delta > 0) {
            if (counter < 0) {
                int paid = Math.min(delta, -counter);
                counter += paid;
                delta -= paid;
            } else if (!waiters.isEmpty()) {
                releasePermit();
                delta--;
            } else {
                counter += delta;
                delta = 0;
            }
        }
        if (delta < 0) {
            counter += delta;
        }
    }

    /** Green threads blocked in acquire. */
    int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[counter=" + counter + ", waiters=" + waiters.size() + "]";
    }
}

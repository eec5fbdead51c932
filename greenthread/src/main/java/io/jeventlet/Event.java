package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Seconds;
import java.util.ArrayDeque;

/**
 * eventlet's Event: one sender wakes every waiter with a result or an
 * exception.
 *
 * <pre>{@code
 * Event<String> configured = new Event<>();
 * Eventlet.spawn(() -> configured.send("ready"));
 * String state = configured.await();                  // every waiter gets "ready"
 * }</pre>
 *
 * <p>Thread rule: Hub-confined — bound to the hub of the first green thread
 * that waits on it; waiting on it, or waking its waiters, from another hub is
 * an {@link IllegalStateException} (hand work over with {@link Hub#callThreadsafe}).
 *
 * <p>Overview: each waiter parks on its own {@code Waiter} node; {@code send}
 * writes the outcome into every node, then wakes them in the order they
 * began to wait. Because the outcome travels in the node, a {@link #reset()}
 * right after {@code send} cannot make a woken waiter miss it (eventlet hands
 * the value over in the switch for the same reason).
 */
public class Event<T> {
    private static final Object NOT_USED = new Object();

    private Object result = NOT_USED;
    private Throwable exception;
    private ArrayDeque<Waiter> waiters;
    /** The hub of its first waiter; null until then. */
    private Hub hub;

    private static final class Waiter {
        final Greenlet greenlet;
        boolean done;
        Object result;
        Throwable exception;

        Waiter(Greenlet greenlet) {
            this.greenlet = greenlet;
        }
    }

    /** Wakes every waiter with {@code result}; a second send without reset is an error. */
    public void send(T result) {
        deliver(result, null);
    }

    /** Wakes every waiter by throwing {@code t} to them (by {@link GreenThread#await()}'s rule). */
    public void sendException(Throwable t) {
        if (t == null) {
            throw new NullPointerException("t");
        }
        deliver(null, t);
    }

    private void deliver(Object value, Throwable t) {
        if (result != NOT_USED) {
            throw new IllegalStateException("Event already sent: call reset() before sending again");
        }
        if (waiters != null) {
            hub = Confinement.bind(hub, Hub.get(), this);
        }
        result = value;
        exception = t;
        ArrayDeque<Waiter> ws = waiters;
        waiters = null;
        if (ws != null) {
            for (Waiter w : ws) {
                w.done = true;
                w.result = value;
                w.exception = t;
                w.greenlet.wake();
            }
        }
    }

    /** Waits for the result (or exception) of {@code send}. */
    public T await() {
        return await(Double.POSITIVE_INFINITY);
    }

    /** As {@link #await()}, but returns null when {@code timeoutSeconds} passes first. */
    @SuppressWarnings("unchecked")
    public T await(double timeoutSeconds) {
        Seconds.check("timeoutSeconds", timeoutSeconds);
        if (result != NOT_USED) {
            return outcome(result, exception);
        }
        Greenlet me = Greenlet.current();
        hub = Confinement.bind(hub, me.hub(), this);
        double deadline = Seconds.deadline(me.hub(), timeoutSeconds);
        Waiter w = new Waiter(me);
        if (waiters == null) {
            waiters = new ArrayDeque<>();
        }
        waiters.add(w);
        try {
            if (!me.waitFor(() -> w.done, deadline)) {
                return null;
            }
        } finally {
            if (!w.done && waiters != null) {
                waiters.remove(w);
            }
        }
        return outcome(w.result, w.exception);
    }

    @SuppressWarnings("unchecked")
    private T outcome(Object value, Throwable t) {
        if (t != null) {
            throw GreenThreadException.rethrow(t);
        }
        return (T) value;
    }

    /** True once sent (until reset). */
    public boolean ready() {
        return result != NOT_USED;
    }

    /** True if sent with a result (not an exception). */
    public boolean hasResult() {
        return result != NOT_USED && exception == null;
    }

    /** True if sent with an exception. */
    public boolean hasException() {
        return result != NOT_USED && exception != null;
    }

    /** The result if sent (rethrowing a sent exception), else null without waiting. */
    public T poll() {
        return result == NOT_USED ? null : outcome(result, exception);
    }

    /** Makes it sendable again; waiters already woken keep their outcome. */
    public void reset() {
        if (result == NOT_USED) {
            throw new IllegalStateException("Event.reset() on an event that was never sent");
        }
        result = NOT_USED;
        exception = null;
    }

    /** Waiters parked now. */
    int waiting() {
        return waiters == null ? 0 : waiters.size();
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Seconds;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * gevent's {@code AsyncResult}: a one-shot value (or exception) that any
 * number of green threads can wait for. {@link #set} or
 * {@link #setException} makes it ready and wakes every waiter, in the order
 * they began to wait; a later {@code set} replaces the outcome (as gevent's).
 *
 * <pre>{@code
 * AsyncResult<String> answer = new AsyncResult<>();
 * Eventlet.spawn(() -> answer.set(fetch()));          // a producer green thread
 * String a = answer.get(5.0);                         // waits at most 5 s, else a Timeout
 * }</pre>
 *
 * <p>Thread rule: Hub-confined — use it only from the green threads (and
 * callbacks) of one hub; {@code set} also works from a hub callback. It is
 * bound to the hub of its first waiter; waiting on it, or waking its
 * waiters, from another hub is an {@link IllegalStateException}.
 *
 * <p>Guarantees: {@link #get(double)} throws a {@link Timeout} when the time
 * passes (gevent's {@code get(timeout=)}); an exception is rethrown to every
 * waiter by {@link GreenThread#await()}'s rule: unchecked ones as the same
 * instance, checked ones wrapped in {@link GreenThreadException}.
 *
 * <p>Overview: {@code waiters} holds the parked greenlets in arrival order;
 * a set wakes them front to back, so they are queued on the hub, and resume,
 * in that order. Each waiter loops over {@code ready} (park may return
 * spuriously, so no wake-up is lost) and removes itself in {@code finally}.
 * {@code exception == null} when ready means success.
 */
public class AsyncResult<T> {
    private final ArrayDeque<Greenlet> waiters = new ArrayDeque<>();
    private boolean ready;
    private T value;
    private Throwable exception;
    /** The hub of its first waiter; null until then. */
    private Hub hub;

    /** Makes it ready with {@code value} and wakes all waiters. */
    public void set(T value) {
        checkWaker();
        this.value = value;
        this.exception = null;
        complete();
    }

    /** Makes it ready with {@code t}, which every waiter will get thrown, and wakes all waiters. */
    public void setException(Throwable t) {
        Objects.requireNonNull(t, "exception");
        checkWaker();
        this.value = null;
        this.exception = t;
        complete();
    }

    private void checkWaker() {
        if (!waiters.isEmpty()) {
            hub = Confinement.bind(hub, Hub.get(), this);
        }
    }

    private void complete() {
        ready = true;
        for (Greenlet g : waiters) {
            g.wake();
        }
    }

    /** The value, waiting as long as needed; or the exception set, rethrown. */
    public T get() {
        return get(Double.POSITIVE_INFINITY);
    }

    /**
     * The value, waiting at most {@code timeoutSeconds}; throws a
     * {@link Timeout} if that passes first, or rethrows the exception set.
     */
    public T get(double timeoutSeconds) {
        Seconds.check("timeoutSeconds", timeoutSeconds);
        if (!ready) {
            Greenlet me = Greenlet.current();
            hub = Confinement.bind(hub, me.hub(), this);
            double deadline = Seconds.deadline(me.hub(), timeoutSeconds);
            waiters.addLast(me);
            try {
                if (!me.waitFor(this::ready, deadline)) {
                    throw Timeout.expired(timeoutSeconds);
                }
            } finally {
                waiters.remove(me);
            }
        }
        if (exception != null) {
            throw GreenThreadException.rethrow(exception);
        }
        return value;
    }

    /** True once set (with a value or an exception). */
    public boolean ready() {
        return ready;
    }

    /** True if set with a value (not an exception). */
    public boolean successful() {
        return ready && exception == null;
    }

    /** The exception set, or null (gevent's {@code exception}). */
    public Throwable exception() {
        return exception;
    }

    @Override
    public String toString() {
        return "AsyncResult[" + (!ready ? "unset" : exception != null ? "exception=" + exception : "value=" + value)
                + ", waiters=" + waiters.size() + "]";
    }
}

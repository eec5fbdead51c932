package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Seconds;
import io.jeventlet.hubs.Timer;
import java.util.concurrent.Callable;

/**
 * eventlet's Timeout: created, it starts a timer; if the creating green thread
 * is still inside when it passes, this Timeout (or the exception given) is
 * thrown in it at its current or next blocking point. Always {@link #cancel()}
 * it in a {@code finally}, or use {@link #withTimeout}. An {@link Error}, so
 * {@code catch (Exception e)} cannot swallow it. Hub-confined.
 *
 * <pre>{@code
 * Timeout t = new Timeout(2.0);
 * try {
 *     reply = client.call(request);
 * } catch (Timeout e) {
 *     if (e != t) {
 *         throw e;                                    // someone else's timeout
 *     }
 *     reply = null;
 * } finally {
 *     t.cancel();
 * }
 * // the same, shorter:
 * reply = Timeout.withTimeout(2.0, () -> client.call(request), null);
 * }</pre>
 *
 * <p>Overview: delivery goes through {@link Greenlet#throwIn}, so a green
 * thread parked in the runtime's own waits is woken, never interrupted. A
 * Timeout carries no stack trace: it is control flow, thrown where the
 * target blocks, and filling one in on every RPC call would cost more than
 * the call. {@code seconds = POSITIVE_INFINITY} never fires.
 */
public class Timeout extends Error {
    private static final long serialVersionUID = 1L;

    private final double seconds;
    private final transient Throwable exception;
    private final transient Greenlet target;
    private transient Timer timer;

    /** Starts a timeout of {@code seconds} in the calling green thread. */
    public Timeout(double seconds) {
        this(seconds, null);
    }

    /** Starts a timeout that throws {@code exception} (not itself) when it passes. */
    public Timeout(double seconds, Throwable exception) {
        this(seconds, exception, true);
    }

    private Timeout(double seconds, Throwable exception, boolean start) {
        super(seconds + " seconds", null, false, false);
        this.seconds = Seconds.check("seconds", seconds);
        this.exception = exception;
        if (start && seconds != Double.POSITIVE_INFINITY) {
            this.target = Greenlet.current();
            this.timer = target.hub().scheduleCallGlobal(seconds, this::fire);
        } else {
            this.target = null;
        }
    }

    /**
     * A Timeout that was never started, to be thrown by a wait whose own limit
     * passed (a trampoline, {@code AsyncResult.get(timeout)}).
     */
    public static Timeout expired(double seconds) {
        return new Timeout(seconds, null, false);
    }

    private void fire() {
        target.throwIn(exception != null ? exception : this);
    }

    /** Stops it; if it already fired but was not yet delivered, it is not delivered. Idempotent. */
    public void cancel() {
        if (timer != null) {
            timer.cancel();
            Throwable mine = exception != null ? exception : this;
            if (target.pending() == mine) {
                target.takePending();
            }
        }
    }

    /** True while the timer runs: started, not fired, not cancelled. */
    public boolean pending() {
        return timer != null && timer.pending();
    }

    public double seconds() {
        return seconds;
    }

    /**
     * Runs {@code fn} under a timeout of {@code seconds}; the {@link Timeout}
     * is thrown if it passes. A checked exception from {@code fn} comes back
     * wrapped in {@link GreenThreadException}.
     */
    public static <T> T withTimeout(double seconds, Callable<T> fn) {
        Timeout t = new Timeout(seconds);
        try {
            return fn.call();
        } catch (Exception e) {
            throw GreenThreadException.rethrow(t.translate(e));
        } finally {
            t.cancel();
        }
    }

    /** As {@link #withTimeout(double, Callable)}, but returns {@code timeoutValue} when it passes. */
    public static <T> T withTimeout(double seconds, Callable<T> fn, T timeoutValue) {
        Timeout t = new Timeout(seconds);
        try {
            return fn.call();
        } catch (Timeout e) {
            if (e == t) {
                return timeoutValue;
            }
            throw e;
        } catch (Exception e) {
            if (t.translate(e) == t) {
                return timeoutValue;
            }
            throw GreenThreadException.rethrow(e);
        } finally {
            t.cancel();
        }
    }

    /** {@code e}, or this Timeout if {@code e} is how a JDK call reported being interrupted by it. */
    private Throwable translate(Exception e) {
        return target == null ? e : target.translate(e);
    }

    @Override
    public String toString() {
        return "io.jeventlet.Timeout: " + seconds + " seconds" + (exception != null ? " (throws " + exception + ")" : "");
    }

}

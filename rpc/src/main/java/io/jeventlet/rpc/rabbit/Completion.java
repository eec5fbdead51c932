package io.jeventlet.rpc.rabbit;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Timer;

/**
 * A one-shot result that the driver's I/O thread (or amqp-client's threads)
 * completes and one green thread awaits. Thread-safe.
 *
 * <p>Overview: the awaiting green thread parks with
 * {@link Greenlet#parkForeign()} (so its hub knows a wake-up comes from
 * outside) in a loop over {@code done}, which is volatile and set before the
 * wake-up: a completion that lands before the park makes the park return at
 * once, so no wake-up is lost. A kill or {@code Timeout} is delivered at the
 * park, never through an interrupt of a channel call: every channel call runs
 * on the I/O thread, which a green thread's kill never reaches.
 */
final class Completion {
    private volatile boolean done;
    private volatile Throwable error;
    private volatile Greenlet waiter;
    /** Called with the failure instead of a waiter when nobody awaits (a call's publish); may be null. */
    private final java.util.function.Consumer<Throwable> onFailure;

    Completion() {
        this(null);
    }

    /** A completion nobody awaits: a failure goes to {@code onFailure}. */
    Completion(java.util.function.Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
    }

    /** Completes it successfully; later completions are ignored. */
    void succeed() {
        finish(null);
    }

    /** Completes it with {@code failure}; later completions are ignored. */
    void fail(Throwable failure) {
        finish(failure);
    }

    private void finish(Throwable failure) {
        synchronized (this) {
            if (done) {
                return;
            }
            error = failure;
            done = true;
        }
        if (failure != null && onFailure != null) {
            onFailure.accept(failure);
        }
        Greenlet w = waiter;
        if (w != null) {
            w.wake();
        }
    }

    boolean done() {
        return done;
    }

    /**
     * Parks the calling green thread until it is complete or {@code seconds}
     * (on its hub's clock; infinite allowed) have passed. Returns false on
     * timeout; rethrows the failure it was completed with.
     */
    boolean await(double seconds) {
        Greenlet me = Greenlet.current();
        waiter = me;
        if (done) {
            return result();
        }
        Hub hub = me.hub();
        double deadline = hub.clock() + seconds;
        Timer timer = Double.isInfinite(seconds) ? null : hub.scheduleCallGlobal(seconds, me::wake);
        try {
            while (!done) {
                if (hub.clock() >= deadline) {
                    return false;
                }
                me.parkForeign();
            }
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
        return result();
    }

    private boolean result() {
        Throwable e = error;
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new io.jeventlet.rpc.spi.DriverException(e.toString(), e);
        }
        return true;
    }
}

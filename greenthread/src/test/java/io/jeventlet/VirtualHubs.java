package io.jeventlet;

import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.HubClock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a function as a green thread of a fresh virtual-clock hub, on its own
 * OS thread, and joins it: each test gets exact, instant time and a hub of
 * its own. When the function returns, the hub must be empty (no other green
 * thread alive, no timer pending, no listener: {@link EmptyHubCheck}), or
 * the run fails with the hub's dump; so does a run that outlasts its limit of
 * real time. Shared with other modules' tests
 * through greenthread's test-jar.
 */
public final class VirtualHubs {
    /** A test body that returns nothing. */
    public interface Body {
        void run() throws Exception;
    }

    private VirtualHubs() {}

    /** Wall-clock seconds a run may take unless it says otherwise. */
    static final double WALL_SECONDS = 30;

    /** As {@link #run}, for a body that returns nothing. */
    public static void on(Body body) throws Exception {
        on(WALL_SECONDS, body);
    }

    /**
     * As {@link #on(Body)}, bounded by {@code wallSeconds} of real time: for
     * a body that computes a lot (say 100,000 calls), whose real time on a
     * machine loaded by other builds is many times its time on a quiet one.
     */
    public static void on(double wallSeconds, Body body) throws Exception {
        run(wallSeconds, () -> {
            body.run();
            return null;
        });
    }

    /** Runs {@code fn} as the first green thread of a new virtual-clock hub and returns what it returns or throws. */
    public static <T> T run(Callable<T> fn) throws Exception {
        return run(WALL_SECONDS, fn);
    }

    private static <T> T run(double wallSeconds, Callable<T> fn) throws Exception {
        Hub hub = Hub.withClock(HubClock.virtual());
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread carrier = Thread.ofPlatform().name("virtual-hub").start(hub::run);
        hub.callThreadsafe(() -> Eventlet.spawn(() -> {
            try {
                T value = fn.call();
                EmptyHubCheck.assertEmpty(hub, 1);
                result.complete(value);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }));
        try {
            return result.get((long) (wallSeconds * 1000), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            // What each green thread was doing when the real-time limit struck: the cause, not just the fact.
            throw new AssertionError("the virtual-clock run took more than " + wallSeconds
                    + " s of real time; its hub then:\n" + hub.dump(), e);
        } finally {
            hub.abort();
            carrier.join(10_000);
        }
    }
}

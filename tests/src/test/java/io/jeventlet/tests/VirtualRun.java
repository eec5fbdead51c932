package io.jeventlet.tests;

import io.jeventlet.Eventlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.HubClock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * As greenthread's {@code VirtualHubs.run}, with the wall-time bound chosen
 * by the caller: soak runs of an hour of hub time take tens of seconds of
 * wall time on a loaded machine.
 */
final class VirtualRun {
    private VirtualRun() {}

    /** Runs {@code fn} as the first green thread of a new virtual-clock hub; fails after {@code wallSeconds}. */
    static <T> T run(long wallSeconds, Callable<T> fn) throws Exception {
        Hub hub = Hub.withClock(HubClock.virtual());
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread carrier = Thread.ofPlatform().name("virtual-hub").start(hub::run);
        hub.callThreadsafe(() -> Eventlet.spawn(() -> {
            try {
                result.complete(fn.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }));
        try {
            return result.get(wallSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        } finally {
            hub.abort();
            carrier.join(10_000);
        }
    }
}

package io.jeventlet.rpc.zmq;

import io.jeventlet.Eventlet;
import io.jeventlet.hubs.CarrierThreads;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.HubClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one hub a ZeroMQ driver or proxy owns, run by a platform thread of its
 * own, whose green threads own the sockets (one owner green thread per
 * socket). Thread-safe: {@link #spawnOwner} and {@link #close} may be called
 * from any thread.
 *
 * <p>Why a hub of its own: a driver is shared by clients and servers of
 * several hubs and must outlive any of them, so its sockets cannot belong to
 * a user's hub. Other hubs reach the owners only through concurrent queues;
 * the owners hand results back through the handlers of the
 * SPI, which cross to the user's hub with {@code Hub.callThreadsafe}.
 *
 * <p>Lifecycle: {@code new -> running (owners spawned) -> close(): owners told
 * to stop by their caller, awaited, hub aborted, thread joined}. An owner is
 * never killed or timed out mid-call (JeroMQ would turn the interrupt into
 * EINTR and break its socket): it stops by seeing its closing flag when its
 * blocking receive times out (every 100-250 ms) or a wake-up item reaches
 * its queue.
 */
final class SocketHub {
    private static final Logger LOG = LoggerFactory.getLogger(SocketHub.class);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Hub hub = Hub.withClock(HubClock.real());
    private final Thread thread;
    private final AtomicInteger owners = new AtomicInteger();
    private final CountDownLatch ownersDone = new CountDownLatch(1);

    SocketHub(String name) {
        thread = CarrierThreads.start(name + "-" + SEQ.incrementAndGet(), true, hub::run);
    }

    /** Runs {@code loop} as an owner green thread of this hub; its return (or failure) is counted for {@link #close}. */
    void spawnOwner(String what, Runnable loop) {
        owners.incrementAndGet();
        hub.callThreadsafe(() -> Eventlet.spawnN(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                LOG.error("{} stopped on an unexpected failure", what, t);
            } finally {
                if (owners.decrementAndGet() == 0) {
                    ownersDone.countDown();
                }
            }
        }));
    }

    /** The socket owners with their stacks (for a report when something waits too long). */
    String dump() {
        return hub.dump();
    }

    /** The thread that runs the hub (for tests: it must be gone after close). */
    Thread thread() {
        return thread;
    }

    /**
     * Waits up to {@code seconds} for every owner to return (the caller has
     * already told them to stop), then stops the hub and joins its thread.
     * Returns false when something did not stop in time (logged).
     */
    boolean close(double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        boolean clean = true;
        try {
            if (owners.get() > 0 && !ownersDone.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("{}: {} socket owner(s) still running after {} s; stopping the hub anyway",
                        thread.getName(), owners.get(), seconds);
                clean = false;
            }
            hub.abort();
            thread.join(Math.max(1, remaining(deadline) / 1_000_000));
            if (thread.isAlive()) {
                LOG.warn("{} did not end within {} s", thread.getName(), seconds);
                clean = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hub.abort();
            clean = false;
        }
        return clean;
    }

    private static long remaining(long deadline) {
        return Math.max(1_000_000, deadline - System.nanoTime());
    }
}

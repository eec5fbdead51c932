package io.jeventlet.rpc.zmq;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform threads that own a ZeroMQ driver's or proxy's sockets, one
 * thread per socket. Thread-safe: {@link #spawnOwner}, {@link #dump} and
 * {@link #close} may be called from any thread.
 *
 * <p>Why platform threads, not green threads of a hub: an owner spends its
 * life blocked in a JeroMQ receive (a {@code Selector.select}) or on a
 * concurrent queue, and is woken by another thread for every message. A
 * platform thread blocked there is woken by the kernel directly, one OS
 * wake-up. A virtual thread blocked in {@code select} is woken through the
 * JDK's pollers (the master poller, then a sub-poller virtual thread on the
 * JDK's scheduler, then the hub's carrier): three wake-ups per message, the
 * largest share of a zmq:// round trip (bench/RESULTS.md, "ZeroMQ transport").
 * An owner uses none of this runtime's green primitives: other hubs reach it
 * only through concurrent queues, and it hands results back through the
 * handlers of the SPI, which cross to the user's hub with
 * {@code Hub.callThreadsafe}. The sockets belong to no user's hub, because a
 * driver is shared by clients and servers of several hubs and must outlive
 * any of them.
 *
 * <p>Lifecycle: {@code new -> running (owners spawned) -> close(): owners
 * told to stop by their caller, joined}. An owner is never interrupted (JeroMQ
 * would turn the interrupt into EINTR and break its socket): it stops by
 * seeing its closing flag when its blocking receive times out (every
 * 100-250 ms) or a wake-up item reaches its queue.
 */
final class SocketOwners {
    private static final Logger LOG = LoggerFactory.getLogger(SocketOwners.class);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    SocketOwners(String name) {
        this.name = name + "-" + SEQ.incrementAndGet();
    }

    /** Runs {@code loop} on a daemon platform thread of its own; a failure that ends it is logged. */
    void spawnOwner(String what, Runnable loop) {
        threads.add(Thread.ofPlatform().daemon().name(name + "-" + threads.size()).start(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                LOG.error("{} stopped on an unexpected failure", what, t);
            }
        }));
    }

    /** The owners with their stacks (for a report when something waits too long). */
    String dump() {
        StringBuilder sb = new StringBuilder();
        for (Thread t : threads) {
            sb.append(t.getName()).append(' ').append(t.getState()).append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /** The owner threads (for tests: none may be alive after close). */
    List<Thread> threads() {
        return List.copyOf(threads);
    }

    /**
     * Waits up to {@code seconds} for every owner to return (the caller has
     * already told them to stop). Returns false when one did not stop in time
     * (logged; it is a daemon thread and does not hold the JVM).
     */
    boolean close(double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                    LOG.warn("{}: socket owner {} still running after {} s", name, t.getName(), seconds);
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

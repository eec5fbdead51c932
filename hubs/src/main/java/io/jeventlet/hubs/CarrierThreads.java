package io.jeventlet.hubs;

import java.util.concurrent.CountDownLatch;

/**
 * Starts the OS threads that carry hubs, so that two carriers never write the
 * same cache line when their green threads switch. Start every thread that
 * will run a hub loop for a long time through {@link #start}: the
 * {@code ServiceLauncher}'s workers and the ZeroMQ socket hubs do.
 *
 * <p>Thread-safe. Guarantees, on HotSpot: a carrier started here shares no
 * 128-byte block of the JVM's per-thread handle table with another carrier
 * started here, whenever the threads that ended before it left no holes in
 * that table (and in the orders {@code CarrierThreadsTest} checks). Three
 * spacer threads live beside each carrier and end when it ends; they only
 * wait.
 *
 * <p>Overview: why carriers need room. HotSpot keeps four handles per
 * platform thread ({@code _threadObj}, {@code _vthread},
 * {@code _jvmti_vthread}, {@code _scopedValueCache}) in one storage of 8-byte
 * slots, allocated when the thread starts, lowest free slot first: threads
 * started one after another get neighbouring 32-byte groups, two to a 64-byte
 * line. Every mount and unmount of a virtual thread writes its carrier's
 * {@code _vthread} slot, and every continuation run its
 * {@code _scopedValueCache} slot, so two hubs whose carriers were started back
 * to back bounce one line between their cores on every switch: measured here,
 * a {@code sleep(0)} switch cost 130 ns on one hub and 430 ns on each of two
 * hubs at once, the JDK's own custom-scheduler virtual threads the same
 * (bench/RESULTS.md, "Hubs across cores"). Neighbouring lines hurt too: the
 * core's adjacent-line prefetcher moves lines in aligned pairs, and two
 * carriers 64 bytes apart still paid 290 ns. So each carrier takes four
 * groups in a row, two spacers before it and one after: two carriers started
 * here are then at least four groups (128 bytes) apart, never in one aligned
 * pair of lines. What this cannot promise: a thread that ended leaves a hole
 * that the next started thread fills first, so with holes a carrier's
 * neighbours are whichever threads had the slots before. A hole opens when
 * the JVM deletes the thread, some time after {@code join} returned, so
 * threads ending while carriers start (a thread that starts a carrier and
 * ends, for one) open holes among those starts.
 */
public final class CarrierThreads {
    /** Spacers only wait: the smallest stack the platform grants is plenty. */
    private static final long SPACER_STACK = 64 * 1024;

    private CarrierThreads() {
    }

    /**
     * Starts {@code body} on a new platform thread named {@code name} with
     * room around it in the JVM's thread table, and returns that thread.
     * Concurrent calls are serialised, so their spacers and carriers never
     * interleave.
     */
    public static Thread start(String name, boolean daemon, Runnable body) {
        if (name == null || body == null) {
            throw new NullPointerException(name == null ? "name" : "body");
        }
        CountDownLatch ended = new CountDownLatch(1);
        Thread carrier = Thread.ofPlatform().name(name).daemon(daemon).unstarted(() -> {
            try {
                body.run();
            } finally {
                ended.countDown();
            }
        });
        synchronized (CarrierThreads.class) {
            spacer(name + "-spacer-0", ended);
            spacer(name + "-spacer-1", ended);
            try {
                carrier.start();
            } catch (RuntimeException | Error e) {
                ended.countDown();
                throw e;
            }
            spacer(name + "-spacer-2", ended);
        }
        return carrier;
    }

    private static void spacer(String name, CountDownLatch ended) {
        Thread.ofPlatform().name(name).daemon(true).stackSize(SPACER_STACK).start(() -> {
            boolean interrupted = false;
            while (true) {
                try {
                    ended.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a spacer outlives no carrier: keep waiting
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        });
    }
}

package io.jeventlet.bench;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import java.util.concurrent.CountDownLatch;

/**
 * Heap bytes per idle thread (the {@code memory} workload of the peer
 * scripts, which measure process RSS instead): {@value #THREADS} threads are
 * started and left blocked on one event; the used heap after full
 * collections, before and after, divided by the count. A parked virtual
 * thread keeps its stack in heap objects, so this counts the stack as well
 * as the runtime's own objects.
 *
 * <p>jeventlet: green threads (kept as {@link GreenThread} handles, as the
 * peers keep theirs) parked in {@link Event#await()}. JDK peer: virtual
 * threads parked in {@link CountDownLatch#await()}.
 *
 * <p>{@link #millionSleepers} is the scale check: one million green threads
 * asleep at once in {@code Eventlet.sleep}, run in a JVM capped at 2 GiB.
 */
public final class IdleMemory {
    /** Idle threads per run. */
    public static final int THREADS = 100_000;
    /** Sleepers in the scale check. */
    public static final int SLEEPERS = 1_000_000;
    /** How long each sleeper of the scale check sleeps, in seconds. */
    public static final double SLEEP = 2.0;

    private IdleMemory() {}

    /** Green threads: heap bytes per green thread parked on an Event. */
    public static double jeventletBytes(int n) {
        Event<Object> ev = new Event<>();
        int[] started = {0};
        Eventlet.sleep(0);
        GreenThread<?>[] gts = new GreenThread<?>[n];
        long before = Threads.usedHeapAfterGc();
        for (int i = 0; i < n; i++) {
            gts[i] = Eventlet.spawn(() -> {
                started[0]++;
                ev.await();
            });
        }
        while (started[0] < n) {
            Eventlet.sleep(0);
        }
        long after = Threads.usedHeapAfterGc();
        ev.send(null);
        for (GreenThread<?> gt : gts) {
            gt.await();
        }
        return (double) (after - before) / n;
    }

    /** Virtual threads: heap bytes per virtual thread parked on a CountDownLatch. */
    public static double jdkBytes(int n) throws InterruptedException {
        CountDownLatch ev = new CountDownLatch(1);
        Thread[] ts = new Thread[n];
        long before = Threads.usedHeapAfterGc();
        for (int i = 0; i < n; i++) {
            ts[i] = Thread.ofVirtual().start(() -> {
                try {
                    ev.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Threads.awaitAllWaiting(ts);
        long after = Threads.usedHeapAfterGc();
        ev.countDown();
        for (Thread t : ts) {
            t.join();
        }
        return (double) (after - before) / n;
    }

    /** What the scale check saw. */
    public record Sleepers(int threads, double heapBytesPerThread, double usedHeapMiB, double maxHeapMiB,
            double wallMs) { }

    /**
     * Starts {@code n} green threads that each sleep {@value #SLEEP} s, measures
     * the heap while all of them are asleep, and waits until all are done.
     */
    public static Sleepers millionSleepers(int n) {
        Event<Object> done = new Event<>();
        int[] started = {0};
        int[] finished = {0};
        long before = Threads.usedHeapAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Eventlet.spawnN(() -> {
                started[0]++;
                Eventlet.sleep(SLEEP);
                if (++finished[0] == n) {
                    done.send(null);
                }
            });
        }
        while (started[0] < n) {
            Eventlet.sleep(0);
        }
        long during = Threads.usedHeapAfterGc();
        done.await();
        double wall = (System.nanoTime() - t0) / 1e6;
        return new Sleepers(n, (double) (during - before) / n, during / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, wall);
    }
}

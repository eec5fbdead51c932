package io.jeventlet.bench;

import java.lang.management.ManagementFactory;

/**
 * Helpers the wall-clock workloads share: waiting until plain threads are
 * parked, and reading the heap after a full collection. Measures nothing
 * itself. Thread-safe.
 */
final class Threads {
    private Threads() {}

    /** Returns once every thread of {@code ts} is parked (WAITING or TIMED_WAITING). */
    static void awaitAllWaiting(Thread[] ts) throws InterruptedException {
        for (Thread t : ts) {
            while (true) {
                Thread.State s = t.getState();
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    break;
                }
                if (s == Thread.State.TERMINATED) {
                    throw new IllegalStateException(t + " ended before it parked");
                }
                Thread.sleep(1);
            }
        }
    }

    /** Bytes of heap in use after full collections (settled when two readings agree within 1%). */
    static long usedHeapAfterGc() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < last / 100) {
                return used;
            }
            last = used;
        }
        return last;
    }
}

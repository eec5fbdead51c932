package io.jeventlet.bench;

import java.util.concurrent.Semaphore;

/**
 * Tasks per second through a pool of {@value #SIZE} concurrent workers (the
 * {@code pool_throughput} workload of the peer scripts): {@value #TASKS} tiny
 * tasks submitted one by one, the submitter blocking while the pool is full,
 * then a wait for all.
 *
 * <p>JDK peer: one virtual thread per task on the default scheduler, bounded
 * by a {@link Semaphore} of {@value #SIZE} permits that the submitter
 * acquires and each task releases.
 */
public final class PoolThroughput {
    /** Tasks per run. */
    public static final int TASKS = 1_000_000;
    /** Pool size. */
    public static final int SIZE = 1000;

    private PoolThroughput() {}

    /**
     * Prints the jeventlet line: {@code GreenPool} of {@value #SIZE} running
     * {@code m} tasks. Until the runtime has a GreenPool this prints nothing.
     */
    static void jeventletLine(int m, java.io.PrintStream out) {
    }

    /** Virtual threads bounded by a Semaphore: tasks per second. */
    public static double jdkPerSec(int m) throws InterruptedException {
        Semaphore permits = new Semaphore(SIZE);
        Runnable task = permits::release;
        long t0 = System.nanoTime();
        for (int i = 0; i < m; i++) {
            permits.acquire();
            Thread.ofVirtual().start(task);
        }
        permits.acquire(SIZE);
        double rate = m / ((System.nanoTime() - t0) / 1e9);
        permits.release(SIZE);
        return rate;
    }
}

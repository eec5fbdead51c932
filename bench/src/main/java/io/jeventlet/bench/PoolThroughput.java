package io.jeventlet.bench;

import io.jeventlet.GreenPool;
import java.util.concurrent.Semaphore;

/**
 * Tasks per second through a pool of {@value #SIZE} concurrent workers (the
 * {@code pool_throughput} workload of the peer scripts): {@value #TASKS} tiny
 * tasks submitted one by one, the submitter blocking while the pool is full,
 * then a wait for all.
 *
 * <p>jeventlet: a {@link GreenPool} of {@value #SIZE} on the caller's hub.
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

    /** A {@link GreenPool} of {@value #SIZE}: {@code spawnN} of {@code m} no-op tasks, then {@code waitAll}; tasks per second. */
    public static double jeventletPerSec(int m) {
        GreenPool pool = new GreenPool(SIZE);
        Runnable task = () -> { };
        long t0 = System.nanoTime();
        for (int i = 0; i < m; i++) {
            pool.spawnN(task);
        }
        pool.waitAll();
        return m / ((System.nanoTime() - t0) / 1e9);
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

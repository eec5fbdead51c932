package io.jeventlet.bench;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import java.util.Random;

/**
 * Wall time, in milliseconds, for {@value #THREADS} threads that each sleep a
 * seeded random 0 to 0.1 s to all be done (the {@code sleep_timers} workload
 * of the peer scripts); the ideal is 100 ms, so the figure minus 100 is the
 * cost of starting the threads and running their timers.
 *
 * <p>jeventlet: green threads calling {@code Eventlet.sleep(d)} on the
 * caller's hub, awaited one by one. JDK peer: virtual threads on the default
 * scheduler calling {@code Thread.sleep}, joined one by one.
 */
public final class SleepTimers {
    /** Sleepers per run. */
    public static final int THREADS = 100_000;
    /** The longest sleep, in seconds (and the ideal wall time). */
    public static final double MAX_SLEEP = 0.1;

    private SleepTimers() {}

    private static double[] delays(int n) {
        Random rnd = new Random(42);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = rnd.nextDouble() * MAX_SLEEP;
        }
        return d;
    }

    /** Green threads: wall milliseconds until all {@code n} sleepers are done. */
    public static double jeventletMs(int n) {
        double[] d = delays(n);
        GreenThread<?>[] gts = new GreenThread<?>[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            double s = d[i];
            gts[i] = Eventlet.spawn(() -> Eventlet.sleep(s));
        }
        for (GreenThread<?> gt : gts) {
            gt.await();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Virtual threads: wall milliseconds until all {@code n} sleepers are done. */
    public static double jdkMs(int n) throws InterruptedException {
        double[] d = delays(n);
        Thread[] ts = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long nanos = (long) (d[i] * 1e9);
            ts[i] = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}

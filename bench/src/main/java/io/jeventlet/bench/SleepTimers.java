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
 * caller's hub, awaited one by one. JDK peers: virtual threads calling
 * {@code Thread.sleep}, joined one by one, on the default scheduler (one
 * carrier per CPU) and on a {@link SingleCarrier} (one carrier, as a hub has).
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

    /** Virtual threads of the default scheduler: wall milliseconds until all {@code n} sleepers are done. */
    public static double jdkMs(int n) throws InterruptedException {
        return jdkMs(n, Thread.ofVirtual()::unstarted);
    }

    /** Virtual threads on one carrier: wall milliseconds until all {@code n} sleepers are done. */
    public static double jdkSingleCarrierMs(int n) throws InterruptedException {
        try (SingleCarrier carrier = new SingleCarrier()) {
            return jdkMs(n, carrier::unstarted);
        }
    }

    private static double jdkMs(int n, java.util.function.Function<Runnable, Thread> factory)
            throws InterruptedException {
        double[] d = delays(n);
        Thread[] ts = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long nanos = (long) (d[i] * 1e9);
            ts[i] = factory.apply(() -> {
                try {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}

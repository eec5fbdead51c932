package io.jeventlet.bench;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.Queue;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Items per second through a bounded queue between one producer and one
 * consumer (the {@code queue_throughput} workload of the peer scripts):
 * {@value #ITEMS} integers through a queue of {@value #MAXSIZE}.
 *
 * <p>jeventlet: two green threads of one hub over a {@link Queue}. JDK peer:
 * two virtual threads on the default scheduler over an
 * {@link ArrayBlockingQueue}.
 */
public final class QueueThroughput {
    /** Items per run. */
    public static final int ITEMS = 1_000_000;
    /** Queue bound. */
    public static final int MAXSIZE = 1000;

    private QueueThroughput() {}

    /** Green threads over a Queue of {@value #MAXSIZE}: items per second. */
    public static double jeventletPerSec(int m) {
        Queue<Integer> q = new Queue<>(MAXSIZE);
        long t0 = System.nanoTime();
        GreenThread<Void> p = Eventlet.spawn(() -> {
            for (int i = 0; i < m; i++) {
                q.put(i);
            }
        });
        GreenThread<Long> c = Eventlet.spawn(() -> {
            long sum = 0;
            for (int i = 0; i < m; i++) {
                sum += q.get();
            }
            return sum;
        });
        p.await();
        c.await();
        return m / ((System.nanoTime() - t0) / 1e9);
    }

    /** Virtual threads over an ArrayBlockingQueue of {@value #MAXSIZE}: items per second. */
    public static double jdkPerSec(int m) throws InterruptedException {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(MAXSIZE);
        long[] sum = new long[1];
        long t0 = System.nanoTime();
        Thread p = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < m; i++) {
                    q.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread c = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < m; i++) {
                    sum[0] += q.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        p.join();
        c.join();
        return m / ((System.nanoTime() - t0) / 1e9);
    }
}

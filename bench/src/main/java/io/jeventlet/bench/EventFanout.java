package io.jeventlet.bench;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time, in milliseconds, for one event to wake {@value #WAITERS} blocked
 * threads (the {@code event_fanout} workload of the peer scripts, which print
 * microseconds): from {@code send} until the last waiter has resumed. Waiters
 * stay alive after waking (they block on a second event), so the figure is
 * the wake-up only, not the teardown.
 *
 * <p>jeventlet: green threads blocked in {@link Event#await()}. JDK peer:
 * virtual threads on the default scheduler blocked in
 * {@link CountDownLatch#await()} on a latch of one.
 */
public final class EventFanout {
    /** Waiters per run. */
    public static final int WAITERS = 10_000;

    private EventFanout() {}

    /** Green threads: milliseconds from send to the last of {@code n} waiters woken. */
    public static double jeventletMs(int n) {
        Event<Boolean> ev = new Event<>();
        Event<Object> release = new Event<>();
        Event<Long> done = new Event<>();
        int[] started = {0};
        int[] woken = {0};
        GreenThread<?>[] gts = new GreenThread<?>[n];
        for (int i = 0; i < n; i++) {
            gts[i] = Eventlet.spawn(() -> {
                started[0]++;
                ev.await();
                if (++woken[0] == n) {
                    done.send(System.nanoTime());
                }
                release.await();
            });
        }
        while (started[0] < n) {
            Eventlet.sleep(0);
        }
        Eventlet.sleep(0);
        long t0 = System.nanoTime();
        ev.send(Boolean.TRUE);
        long t1 = done.await();
        release.send(null);
        for (GreenThread<?> gt : gts) {
            gt.await();
        }
        return (t1 - t0) / 1e6;
    }

    /** Virtual threads: milliseconds from countDown to the last of {@code n} waiters woken. */
    public static double jdkMs(int n) throws InterruptedException {
        CountDownLatch ev = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger woken = new AtomicInteger();
        long[] t1 = new long[1];
        Thread[] ts = new Thread[n];
        for (int i = 0; i < n; i++) {
            ts[i] = Thread.ofVirtual().start(() -> {
                try {
                    ev.await();
                    if (woken.incrementAndGet() == n) {
                        t1[0] = System.nanoTime();
                        done.countDown();
                    }
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Threads.awaitAllWaiting(ts);
        long t0 = System.nanoTime();
        ev.countDown();
        done.await();
        release.countDown();
        for (Thread t : ts) {
            t.join();
        }
        return (t1[0] - t0) / 1e6;
    }
}

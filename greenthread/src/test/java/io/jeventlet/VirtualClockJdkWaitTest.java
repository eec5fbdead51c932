package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jeventlet.hubs.Hub;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * A virtual-clock hub does not jump its clock past a green thread blocked in
 * a JDK wait that another OS thread ends soon: a lock held for a moment by a
 * platform thread (as a logging appender's lock is) costs no virtual time, so a busy
 * machine cannot turn it into a timeout that an idle one never sees.
 */
class VirtualClockJdkWaitTest {
    /** A green thread waiting 100 ms (real) for a JDK lock gets it before a 10 s virtual timer fires. */
    @Test
    void aLockHeldBrieflyOutsideCostsNoVirtualTime() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            lock.lock();
            try {
                held.countDown();
                // Held until the green thread waits for it, then a moment longer: the delay a busy machine adds.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!lock.hasQueuedThreads() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        try {
            assertEquals(true, held.await(10, TimeUnit.SECONDS));
            double gotAt = VirtualHubs.run(() -> {
                GreenThread<Void> timer = Eventlet.spawn(() -> Eventlet.sleep(10));
                double t0 = Hub.get().clock();
                double[] at = new double[1];
                GreenThread<Void> waiter = Eventlet.spawn(() -> {
                    lock.lock();
                    try {
                        at[0] = Hub.get().clock() - t0;
                    } finally {
                        lock.unlock();
                    }
                });
                waiter.await();
                timer.await();
                return at[0];
            });
            assertEquals(0.0, gotAt, 1e-9, "virtual seconds that passed while the lock was held outside");
        } finally {
            holder.join(10_000);
        }
    }
}

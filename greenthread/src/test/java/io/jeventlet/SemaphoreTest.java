package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Semaphore, BoundedSemaphore and CappedSemaphore behave as eventlet's
 * (tests/semaphore_test.py, ported), with FIFO service of waiters and no
 * permit lost to a dying waiter. Each test runs in a fresh virtual-clock hub.
 */
class SemaphoreTest {
    /** acquire and release move the counter; locked() is true at 0; balance counts waiters. */
    @Test
    void countsPermits() throws Exception {
        VirtualHubs.on(() -> {
            Semaphore s = new Semaphore(2);
            assertTrue(s.acquire());
            assertEquals(1, s.counter());
            assertFalse(s.locked());
            assertTrue(s.acquire());
            assertTrue(s.locked());
            GreenThread<Boolean> w = Eventlet.spawn(() -> s.acquire());
            Eventlet.sleep(0);
            assertEquals(0, s.counter());
            assertEquals(-1, s.balance());
            s.release();
            assertTrue(w.await());
            assertEquals(0, s.balance());
            s.release();
            s.release();
            assertEquals(2, s.counter());
        });
    }

    /** A non-blocking acquire of a locked semaphore returns false at once. */
    @Test
    void nonBlocking() throws Exception {
        VirtualHubs.on(() -> {
            Semaphore s = new Semaphore(0);
            double start = Hub.get().clock();
            assertFalse(s.acquire(false, 0));
            assertFalse(s.acquire(false, 5));
            assertEquals(start, Hub.get().clock());
            assertEquals(0, s.balance());
        });
    }

    /** An acquire with a timeout returns false after exactly that time, leaving no waiter behind. */
    @Test
    void timeout() throws Exception {
        VirtualHubs.on(() -> {
            Semaphore s = new Semaphore(0);
            double start = Hub.get().clock();
            assertFalse(s.acquire(true, 0.1));
            assertEquals(0.1, Hub.get().clock() - start, 1e-12);
            assertEquals(0, s.balance());
            s.release();
            assertTrue(s.acquire(true, 0.1));
        });
    }

    /** A negative value, or a negative or NaN timeout, is an IllegalArgumentException. */
    @Test
    void badArgumentsAreRejected() throws Exception {
        VirtualHubs.on(() -> {
            assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
            assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
            assertThrows(IllegalArgumentException.class, () -> new CappedSemaphore(-1, 3));
            assertThrows(IllegalArgumentException.class, () -> new CappedSemaphore(4, 3));
            Semaphore s = new Semaphore(0);
            assertThrows(IllegalArgumentException.class, () -> s.acquire(true, -1));
            assertThrows(IllegalArgumentException.class, () -> s.acquire(true, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> s.acquire(false, -1));
            assertThrows(IllegalArgumentException.class, () -> new CappedSemaphore(0, 1).acquire(true, -1));
            new Semaphore(0);
            new Semaphore(100);
        });
    }

    /** Waiters get the permits in the order they began waiting, and a newcomer cannot barge ahead of them. */
    @Test
    void waitersServedFifo() throws Exception {
        VirtualHubs.on(() -> {
            Semaphore s = new Semaphore(0);
            List<String> steps = new ArrayList<>();
            List<GreenThread<Void>> ws = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                ws.add(Eventlet.spawn(() -> {
                    s.acquire();
                    steps.add("got " + n);
                }));
            }
            Eventlet.sleep(0);
            assertEquals(-3, s.balance());
            s.release();
            // The permit is promised to waiter 1: a newcomer may not take it.
            assertFalse(s.acquire(false, 0));
            s.release();
            s.release();
            Eventlet.joinAll(ws);
            assertEquals(List.of("got 1", "got 2", "got 3"), steps);
            assertEquals(0, s.counter());
        });
    }

    /** A waiter killed after a permit was handed to it passes the permit to the next waiter. */
    @Test
    void killedWaiterPassesPermitOn() throws Exception {
        VirtualHubs.on(() -> {
            Semaphore s = new Semaphore(0);
            GreenThread<Boolean> w1 = Eventlet.spawn(() -> s.acquire());
            GreenThread<Boolean> w2 = Eventlet.spawn(() -> s.acquire());
            Eventlet.sleep(0);
            s.release();
            w1.kill();
            assertThrows(GreenletExit.class, w1::await);
            assertTrue(w2.await());
            assertEquals(0, s.counter());
            assertEquals(0, s.balance());
        });
    }

    /** A waiter killed after a permit was handed to it, with nobody else waiting, gives it back to the counter. */
    @Test
    void killedLastWaiterReturnsPermit() throws Exception {
        VirtualHubs.on(() -> {
            Semaphore s = new Semaphore(0);
            GreenThread<Boolean> w = Eventlet.spawn(() -> s.acquire());
            Eventlet.sleep(0);
            s.release();
            w.kill();
            assertEquals(1, s.counter());
            assertTrue(s.acquire(false, 0));
        });
    }

    /** Two workers contending for a mutex alternate strictly, so neither starves (eventlet's contention test). */
    @Test
    void contentionIsFair() throws Exception {
        VirtualHubs.on(() -> {
            Semaphore mutex = new Semaphore(1);
            int[] counts = new int[2];
            List<GreenThread<Void>> ws = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int no = i;
                ws.add(Eventlet.spawn(() -> {
                    while (Math.min(counts[0], counts[1]) < 200) {
                        mutex.acquire();
                        try {
                            counts[no]++;
                            Eventlet.sleep(0.001);
                        } finally {
                            mutex.release();
                        }
                    }
                }));
            }
            Eventlet.joinAll(ws);
            assertTrue(Math.abs(counts[0] - counts[1]) <= 1, counts[0] + " vs " + counts[1]);
        });
    }

    /** Releasing a BoundedSemaphore above its initial value is an IllegalStateException. */
    @Test
    void boundedSemaphoreOverRelease() throws Exception {
        VirtualHubs.on(() -> {
            BoundedSemaphore s = new BoundedSemaphore(2);
            assertThrows(IllegalStateException.class, s::release);
            s.acquire();
            s.release();
            assertEquals(2, s.counter());
            assertThrows(IllegalStateException.class, s::release);
            assertEquals(2, s.counter());
        });
    }

    /** A BoundedSemaphore release handed to a waiter is not an over-release. */
    @Test
    void boundedSemaphoreWithWaiters() throws Exception {
        VirtualHubs.on(() -> {
            BoundedSemaphore s = new BoundedSemaphore(1);
            s.acquire();
            GreenThread<Boolean> w = Eventlet.spawn(() -> s.acquire());
            Eventlet.sleep(0);
            s.release();
            assertTrue(w.await());
            s.release();
            assertThrows(IllegalStateException.class, s::release);
        });
    }

    /** eventlet's test_bounded: a CappedSemaphore's releases wait at the limit and balance counts both sides. */
    @Test
    void cappedSemaphore() throws Exception {
        VirtualHubs.on(() -> {
            CappedSemaphore sem = new CappedSemaphore(2, 3);
            assertTrue(sem.acquire());
            assertTrue(sem.acquire());
            GreenThread<Void> gt1 = Eventlet.spawn(() -> sem.release());
            assertTrue(sem.acquire());
            assertEquals(-3, sem.balance());
            sem.release();
            sem.release();
            sem.release();
            GreenThread<Boolean> gt2 = Eventlet.spawn(() -> sem.acquire());
            sem.release();
            assertEquals(3, sem.balance());
            gt1.await();
            assertTrue(gt2.await());
        });
    }

    /** A CappedSemaphore(0, 0) release waits until an acquire meets it. */
    @Test
    void cappedSemaphoreWithZeroLimit() throws Exception {
        VirtualHubs.on(() -> {
            CappedSemaphore sem = new CappedSemaphore(0, 0);
            GreenThread<Boolean> gt = Eventlet.spawn(() -> sem.acquire());
            sem.release();
            assertTrue(gt.await());
        });
    }

    /** At its limit, a CappedSemaphore's release blocks (eventlet), and release(false) returns false. */
    @Test
    void cappedSemaphoreReleaseWaitsAtLimit() throws Exception {
        VirtualHubs.on(() -> {
            CappedSemaphore sem = new CappedSemaphore(1, 1);
            assertTrue(sem.bounded());
            assertFalse(sem.release(false));
            List<String> steps = new ArrayList<>();
            GreenThread<Void> releaser = Eventlet.spawn(() -> {
                steps.add("1 releasing");
                sem.release();
                steps.add("3 released");
            });
            Eventlet.sleep(0);
            steps.add("2 acquiring");
            assertTrue(sem.acquire());
            releaser.await();
            assertEquals(List.of("1 releasing", "2 acquiring", "3 released"), steps);
            assertTrue(sem.bounded());
            assertFalse(sem.locked());
        });
    }

    /** A CappedSemaphore acquire that times out undoes its half-step, leaving the balance as it was. */
    @Test
    void cappedSemaphoreAcquireTimeout() throws Exception {
        VirtualHubs.on(() -> {
            CappedSemaphore sem = new CappedSemaphore(0, 2);
            assertTrue(sem.locked());
            assertFalse(sem.acquire(false, 0));
            int before = sem.balance();
            double start = Hub.get().clock();
            assertFalse(sem.acquire(true, 0.2));
            assertEquals(0.2, Hub.get().clock() - start, 1e-12);
            assertEquals(before, sem.balance());
            sem.release();
            sem.release();
            assertTrue(sem.bounded());
            assertEquals(2, sem.balance());
            assertTrue(sem.acquire(true, 0.2));
            assertEquals(0, sem.balance());
            assertFalse(sem.bounded());
        });
    }

    /** A plain OS thread (the JUnit thread) waits for a permit by running its hub. */
    @Test
    void acquireFromMainGreenlet() {
        Semaphore s = new Semaphore(0);
        GreenThread<Void> releaser = Eventlet.spawn(() -> s.release());
        assertTrue(s.acquire());
        releaser.await();
        assertEquals(0, s.balance());
    }
}

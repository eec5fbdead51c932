package io.jeventlet;

import static io.jeventlet.TestDelays.DELAY;
import static io.jeventlet.TestDelays.millis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Tpool#execute}: a function runs on a pool of OS threads while the
 * calling green thread waits cooperatively (eventlet's tests/tpool_test.py,
 * for the parts that apply to a plain function call).
 *
 * <p>A function that must outlive its caller's wait (a killed or timed-out
 * caller) waits on a latch the test releases, so every pool task has ended
 * before its test returns.
 */
class TpoolTest {
    /** Bound on any latch wait on a pool thread, so a regression fails instead of hanging. */
    private static final long LATCH_TIMEOUT_MS = 10_000;

    /** execute returns the function's value to a green thread. */
    @Test
    void executeReturnsTheValue() {
        GreenThread<String> gt = Eventlet.spawn(() -> Tpool.execute(() -> "from the pool"));
        assertEquals("from the pool", gt.await());
    }

    /** An unchecked exception of the function comes back to the caller as the same instance. */
    @Test
    void uncheckedExceptionComesBackAsTheSameInstance() {
        IllegalStateException boom = new IllegalStateException("hi");
        GreenThread<Throwable> gt = Eventlet.spawn(() -> {
            try {
                Tpool.execute(() -> {
                    throw boom;
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertSame(boom, gt.await());
    }

    /** A Timeout thrown by the function itself comes back as the same instance (eventlet's test_eventlet_timeout). */
    @Test
    void timeoutThrownByTheFunctionComesBackAsTheSameInstance() {
        Timeout thrown = Timeout.expired(DELAY);
        GreenThread<Throwable> gt = Eventlet.spawn(() -> {
            try {
                Tpool.execute(() -> {
                    throw thrown;
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertSame(thrown, gt.await());
    }

    /** A checked exception of the function comes back wrapped in GreenThreadException with the original as cause. */
    @Test
    void checkedExceptionComesBackWrappedWithTheOriginalAsCause() {
        IOException io = new IOException("disk on fire");
        GreenThread<Throwable> gt = Eventlet.spawn(() -> {
            try {
                Tpool.execute(() -> {
                    throw io;
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Throwable t = gt.await();
        assertInstanceOf(GreenThreadException.class, t);
        assertSame(io, t.getCause());
    }

    /**
     * While one green thread waits in execute, other green threads of its hub
     * keep running: the pool function waits for a latch that only a ticking
     * green thread of the same hub counts down.
     */
    @Test
    void otherGreenThreadsRunWhileOneWaitsInExecute() {
        CountDownLatch ticked = new CountDownLatch(3);
        GreenThread<Boolean> caller = Eventlet.spawn(
                () -> Tpool.execute(() -> ticked.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS)));
        GreenThread<Integer> ticker = Eventlet.spawn(() -> {
            int ticks = 0;
            while (ticks < 1000 && ticked.getCount() > 0) {
                ticks++;
                ticked.countDown();
                Eventlet.sleep(DELAY / 5);
            }
            return ticks;
        });
        assertTrue(caller.await(), "the pool function never saw the ticker's ticks: the hub was blocked");
        assertEquals(3, ticker.await());
    }

    /** A pool function that sleeps on its OS thread does not hold up a green thread that ticks meanwhile. */
    @Test
    void blockingSleepInThePoolDoesNotBlockTheHub() {
        List<String> log = new ArrayList<>();
        AtomicBoolean callerDone = new AtomicBoolean();
        GreenThread<Void> caller = Eventlet.spawn(() -> {
            log.add("execute:start");
            Tpool.execute(() -> {
                Thread.sleep(millis(4 * DELAY));
                return null;
            });
            log.add("execute:end");
            callerDone.set(true);
        });
        GreenThread<Void> ticker = Eventlet.spawn(() -> {
            for (int i = 0; i < 1000 && !callerDone.get(); i++) {
                log.add("tick");
                Eventlet.sleep(DELAY / 10);
            }
        });
        caller.await();
        ticker.await();
        assertEquals("execute:start", log.get(0), log.toString());
        int end = log.indexOf("execute:end");
        assertTrue(end >= 3, "the ticker should tick at least twice while the pool sleeps: " + log);
        assertTrue(log.subList(1, end).stream().allMatch("tick"::equals), log.toString());
    }

    /** Two executes run at the same time on different OS threads of the pool. */
    @Test
    void twoExecutesRunInParallel() {
        CountDownLatch both = new CountDownLatch(2);
        List<GreenThread<Thread>> gts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            gts.add(Eventlet.spawn(() -> Tpool.execute(() -> {
                both.countDown();
                assertTrue(both.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the other execute never ran alongside");
                return Thread.currentThread();
            })));
        }
        Thread a = gts.get(0).await();
        Thread b = gts.get(1).await();
        assertNotSame(a, b);
    }

    /** After setNumThreads(2) at most two calls run at once; the others wait their turn and all complete. */
    @Test
    void setNumThreadsBoundsTheCallsRunningAtOnce() {
        int before = Tpool.numThreads();
        Tpool.setNumThreads(2);
        try {
            assertEquals(2, Tpool.numThreads());
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            CountDownLatch firstTwo = new CountDownLatch(2);
            List<GreenThread<Integer>> gts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                gts.add(Eventlet.spawn(() -> Tpool.execute(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    firstTwo.countDown();
                    // The first two wait for each other, so the peak reaches 2 whatever the timing.
                    assertTrue(firstTwo.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS), "no second call ran alongside");
                    running.decrementAndGet();
                    return n;
                })));
            }
            for (int i = 0; i < gts.size(); i++) {
                assertEquals(i, gts.get(i).await());
            }
            assertEquals(2, peak.get(), "calls running at once");
        } finally {
            Tpool.setNumThreads(before);
        }
    }

    /** setNumThreads(0) is rejected, naming the bad count, and the pool keeps its size. */
    @Test
    void setNumThreadsZeroIsRejected() {
        int before = Tpool.numThreads();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tpool.setNumThreads(0));
        assertTrue(e.getMessage().contains("= 0"), e.getMessage());
        assertEquals(before, Tpool.numThreads());
    }

    /** A hundred green threads calling execute at once all get their own correct result (eventlet's contention tests). */
    @Test
    void manyConcurrentExecutesAllCompleteWithTheirResults() {
        int n = 100;
        List<GreenThread<Integer>> gts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int token = i;
            gts.add(Eventlet.spawn(() -> {
                Eventlet.sleep(DELAY / 10 * (token % 3));
                return Tpool.execute(() -> {
                    Thread.sleep(token % 5);
                    return token * token;
                });
            }));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i * i, gts.get(i).await(), "result of green thread " + i);
        }
    }

    /** execute works from the main greenlet (the test's own OS thread), which runs its hub while it waits. */
    @Test
    void executeFromTheMainGreenlet() {
        CountDownLatch ticked = new CountDownLatch(2);
        GreenThread<Void> ticker = Eventlet.spawn(() -> {
            for (int i = 0; i < 1000 && ticked.getCount() > 0; i++) {
                ticked.countDown();
                Eventlet.sleep(DELAY / 5);
            }
        });
        boolean sawTicks = Tpool.execute(() -> ticked.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        ticker.await();
        assertTrue(sawTicks, "the main greenlet did not run its hub while it waited in execute");
    }

    /** A kill of a green thread waiting in execute ends its wait with GreenletExit while the function runs on. */
    @Test
    void killWhileWaitingInExecuteEndsTheWaitWithGreenletExit() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Event<Void> submitted = new Event<>();
        GreenThread<Boolean> gt = Eventlet.spawn(() -> {
            submitted.send(null);
            return Tpool.execute(() -> {
                entered.countDown();
                try {
                    return release.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } finally {
                    finished.countDown();
                }
            });
        });
        submitted.await();
        assertTrue(entered.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        gt.kill();
        Throwable t = assertThrows(Throwable.class, gt::await);
        assertInstanceOf(GreenletExit.class, t, "await() threw " + t);
        assertEquals(1, finished.getCount(), "the kill should not stop the pool function");
        release.countDown();
        assertTrue(finished.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }

    /** A Timeout of the caller that passes while it waits in execute surfaces as that Timeout (eventlet's test_timeout). */
    @Test
    void timeoutWhileWaitingInExecuteSurfacesAsThatTimeout() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Timeout[] mine = new Timeout[1];
        GreenThread<Boolean> gt = Eventlet.spawn(() -> {
            mine[0] = new Timeout(DELAY);
            try {
                return Tpool.execute(() -> {
                    try {
                        return release.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    } finally {
                        finished.countDown();
                    }
                });
            } finally {
                mine[0].cancel();
            }
        });
        Throwable t = assertThrows(Throwable.class, gt::await);
        assertSame(mine[0], t, "await() threw " + t);
        release.countDown();
        assertTrue(finished.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }

    /** A function on a pool thread that calls execute again runs the inner function inline, on the same thread. */
    @Test
    void nestedExecuteRunsInlineOnThePoolThread() {
        Thread[] threads = Eventlet.spawn(() -> Tpool.execute(() -> {
            Thread outer = Thread.currentThread();
            Thread inner = Tpool.execute(Thread::currentThread);
            return new Thread[] {outer, inner};
        })).await();
        assertSame(threads[0], threads[1]);
        assertTrue(threads[0].getName().startsWith("jeventlet-tpool-"), threads[0].getName());
    }

    /** An exception of a nested function comes back to the outer function by execute's rule. */
    @Test
    void nestedExecuteRethrowsByTheSameRule() {
        IOException io = new IOException("inner");
        Throwable t = Eventlet.spawn(() -> Tpool.execute(() -> {
            try {
                Tpool.execute(() -> {
                    throw io;
                });
                return null;
            } catch (GreenThreadException e) {
                return e.getCause();
            }
        })).await();
        assertSame(io, t);
    }

    /**
     * Three times as many callers as pool threads, each nesting execute twice
     * while holding its pool thread, all complete: no pool thread waits for a
     * call queued behind itself. Afterwards the pool still serves new callers.
     */
    @Test
    void nestedExecutesWithMoreCallersThanThreadsAllComplete() {
        int before = Tpool.numThreads();
        Tpool.setNumThreads(2);
        try {
            CountDownLatch allHeld = new CountDownLatch(2);
            List<GreenThread<Integer>> gts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                gts.add(Eventlet.spawn(() -> Tpool.execute(() -> {
                    // The first two hold both pool threads before nesting, so the others are queued meanwhile.
                    allHeld.countDown();
                    allHeld.await(LATCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    return Tpool.execute(() -> Tpool.execute(() -> n * 10));
                })));
            }
            for (int i = 0; i < gts.size(); i++) {
                assertEquals(i * 10, gts.get(i).await(), "result of caller " + i);
            }
            assertEquals("after", Tpool.execute(() -> "after"));
        } finally {
            Tpool.setNumThreads(before);
        }
    }

    /** A pool size of 0 is rejected with an error naming jeventlet.tpool.size. */
    @Test
    void sizeZeroIsRejectedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tpool.size("0"));
        assertTrue(e.getMessage().contains("jeventlet.tpool.size"), e.getMessage());
    }

    /** A pool size that is not a number is rejected with an error naming jeventlet.tpool.size. */
    @Test
    void sizeNotANumberIsRejectedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tpool.size("x"));
        assertTrue(e.getMessage().contains("jeventlet.tpool.size"), e.getMessage());
        assertTrue(e.getMessage().contains("x"), e.getMessage());
    }

    /** An unset pool size means eventlet's default of 20 threads. */
    @Test
    void sizeUnsetIsTwenty() {
        assertEquals(20, Tpool.size(null));
    }
}

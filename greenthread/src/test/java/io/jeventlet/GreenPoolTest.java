package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** eventlet's tests/greenpool_test.py GreenPool cases, and the Java contract of GreenPool. */
@Timeout(30)
class GreenPoolTest {
    private final List<String> steps = new ArrayList<>();

    /** Records a numbered step, so a test can assert the exact interleaving. */
    private void step(String s) {
        steps.add(s);
    }

    private static <T> T passthru(T arg) {
        Eventlet.sleep(0);
        return arg;
    }

    /** Spawns more tasks than the pool holds; every result comes back from its own green thread. */
    @Test
    void spawnReturnsEachResult() {
        GreenPool p = new GreenPool(4);
        List<GreenThread<Integer>> gts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            gts.add(p.spawn(() -> passthru(n)));
        }
        List<Integer> results = new ArrayList<>();
        for (GreenThread<Integer> gt : gts) {
            results.add(gt.await());
        }
        assertEquals(IntStream.range(0, 10).boxed().toList(), results);
    }

    /** spawnN tasks all run, and waitAll returns only after the last one finished. */
    @Test
    void spawnNRunsEveryTaskBeforeWaitAllReturns() {
        GreenPool p = new GreenPool(4);
        List<Integer> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            p.spawnN(() -> {
                Eventlet.sleep(0);
                results.add(n);
            });
        }
        p.waitAll();
        assertEquals(IntStream.range(0, 10).boxed().toList(), results);
        assertEquals(0, p.running());
        assertEquals(4, p.free());
    }

    /** waiting() counts green threads blocked in spawn for a slot; running() counts tasks. */
    @Test
    void waitingCountsBlockedSpawners() {
        GreenPool pool = new GreenPool(1);
        Event<Void> done = new Event<>();
        List<GreenThread<Void>> spawners = new ArrayList<>();
        assertEquals(0, pool.running());
        for (int expectedWaiting = 0; expectedWaiting < 3; expectedWaiting++) {
            spawners.add(Eventlet.spawn(() -> {
                pool.spawn(() -> done.await()).await();
            }));
            Eventlet.sleep(0);
            assertEquals(expectedWaiting, pool.waiting());
        }
        assertEquals(1, pool.running());
        done.send(null);
        Eventlet.joinAll(spawners);
        assertEquals(0, pool.waiting());
        assertEquals(0, pool.running());
    }

    /** Two pool tasks interleave at their blocking points in spawn order (eventlet's test_multiple_coros). */
    @Test
    void tasksInterleaveAtBlockingPoints() {
        Event<Void> evt = new Event<>();
        GreenPool pool = new GreenPool(2);
        GreenThread<Void> consumer = pool.spawn(() -> {
            step("1 cons1");
            evt.await();
            step("3 cons2");
            return null;
        });
        pool.spawnN(() -> {
            step("2 prod");
            evt.send(null);
        });
        consumer.await();
        assertEquals(List.of("1 cons1", "2 prod", "3 cons2"), steps);
    }

    /** A local timer scheduled by a pool task does not fire once that task has exited. */
    @Test
    void localTimerOfFinishedTaskDoesNotFire() {
        GreenPool pool = new GreenPool(2);
        pool.spawn(() -> Hub.get().scheduleCallLocal(0, () -> step("fired"))).await();
        Eventlet.sleep(0);
        Eventlet.sleep(0);
        assertEquals(List.of(), steps);
    }

    /** A task of a full pool that spawns into it runs the function inline and gets a finished green thread. */
    @Test
    void reentrantSpawnRunsInline() {
        GreenPool pool = new GreenPool(1);
        GreenThread<String> outer = pool.spawn(() -> {
            GreenThread<?> me = Eventlet.getCurrent();
            GreenThread<String> inner = pool.spawn(() -> {
                step("inline in the outer task: " + (Eventlet.getCurrent() == me));
                return "reenter";
            });
            assertTrue(inner.dead());
            assertTrue(inner.successful());
            return inner.await();
        });
        assertEquals("reenter", outer.await());
        assertEquals(List.of("inline in the outer task: true"), steps);

        Event<String> evt = new Event<>();
        pool.spawnN(() -> {
            pool.spawnN(() -> step("inline spawnN"));
            evt.send("done");
        });
        assertEquals("done", evt.await());
        assertEquals(List.of("inline in the outer task: true", "inline spawnN"), steps);
        pool.waitAll();
    }

    /** An exception of a function run inline by a reentrant spawn is thrown from that spawn, as in eventlet. */
    @Test
    void reentrantSpawnThrowsTheFunctionsException() {
        GreenPool pool = new GreenPool(1);
        IllegalStateException boom = new IllegalStateException("boom");
        GreenThread<Object> outer = pool.spawn(() -> {
            try {
                pool.spawn(() -> {
                    throw boom;
                });
                return "not thrown";
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertSame(boom, outer.await());
        assertEquals(1, pool.free());
    }

    /** A checked exception of an inline reentrant spawn is thrown wrapped in GreenThreadException. */
    @Test
    void reentrantSpawnWrapsCheckedException() {
        GreenPool pool = new GreenPool(1);
        IOException io = new IOException("io");
        GreenThread<Throwable> outer = pool.spawn(() -> {
            try {
                pool.spawn(() -> {
                    throw io;
                });
                return null;
            } catch (GreenThreadException e) {
                return e.getCause();
            }
        });
        assertSame(io, outer.await());
    }

    /**
     * Asserts the pool has exactly {@code expected} free slots: that many spawns succeed at once,
     * and one more blocks (a zero Timeout ends it), as eventlet's assert_pool_has_free.
     */
    private static void assertPoolHasFree(GreenPool pool, int expected) {
        assertEquals(expected, pool.free());
        Event<Void> evt = new Event<>();
        io.jeventlet.Timeout timer = new io.jeventlet.Timeout(1);
        try {
            for (int i = 0; i < expected; i++) {
                pool.spawn(evt::await);
            }
        } finally {
            timer.cancel();
        }
        IllegalStateException marker = new IllegalStateException("pool full");
        io.jeventlet.Timeout full = new io.jeventlet.Timeout(0, marker);
        try {
            assertSame(marker, assertThrows(IllegalStateException.class, () -> pool.spawn(evt::await)));
        } finally {
            full.cancel();
        }
        assertEquals(0, pool.waiting());
        evt.send(null);
        pool.waitAll();
    }

    /** Shrinking lets running tasks finish with free() negative meanwhile; growing adds free slots. */
    @Test
    void resizeShrinksAfterRunningTasksFinishAndGrowsAtOnce() {
        GreenPool pool = new GreenPool(2);
        Event<Void> evt = new Event<>();
        GreenThread<Void> a = pool.spawn(evt::await);
        GreenThread<Void> b = pool.spawn(evt::await);
        assertEquals(0, pool.free());
        assertEquals(2, pool.running());
        pool.resize(1);
        assertEquals(-1, pool.free());
        evt.send(null);
        a.await();
        b.await();
        assertEquals(1, pool.free());
        assertEquals(0, pool.running());
        assertPoolHasFree(pool, 1);
        pool.resize(2);
        assertEquals(2, pool.free());
        assertPoolHasFree(pool, 2);
    }

    /** Growing a full pool hands the new slots to blocked spawners at once, oldest first. */
    @Test
    void growingWakesBlockedSpawnersInOrder() {
        GreenPool pool = new GreenPool(1);
        Event<Void> hold = new Event<>();
        pool.spawn(hold::await);
        List<GreenThread<Void>> spawners = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            spawners.add(Eventlet.spawn(() -> {
                pool.spawn(() -> {
                    step("task " + n);
                    return null;
                });
            }));
        }
        Eventlet.sleep(0);
        assertEquals(3, pool.waiting());
        pool.resize(3);
        assertEquals(1, pool.waiting());
        assertEquals(0, pool.free());
        Eventlet.sleep(0);
        Eventlet.sleep(0);
        assertEquals(List.of("task 1", "task 2"), steps);
        hold.send(null);
        Eventlet.joinAll(spawners);
        pool.waitAll();
        assertEquals(List.of("task 1", "task 2", "task 3"), steps);
    }

    /** Spawners blocked on a full pool get slots strictly in the order they began to wait. */
    @Test
    void blockedSpawnersAreServedFifo() {
        GreenPool pool = new GreenPool(1);
        List<GreenThread<Void>> spawners = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            int n = i;
            spawners.add(Eventlet.spawn(() -> {
                pool.spawnN(() -> {
                    step("run " + n);
                    Eventlet.sleep(0);
                });
            }));
        }
        Eventlet.joinAll(spawners);
        pool.waitAll();
        assertEquals(List.of("run 1", "run 2", "run 3", "run 4"), steps);
    }

    /** spawnN on a full pool yields until a slot frees (eventlet's test_spawn_n_2). */
    @Test
    void spawnNOnFullPoolYields() {
        GreenPool p = new GreenPool(2);
        assertEquals(2, p.free());
        List<Integer> r = new ArrayList<>();
        GreenThread<Void> gt = p.spawn(() -> {
            r.add(1);
            return null;
        });
        assertEquals(1, p.free());
        gt.await();
        assertEquals(List.of(1), r);
        Eventlet.sleep(0);
        assertEquals(2, p.free());

        p.spawnN(() -> r.add(2));
        assertEquals(1, p.free());
        assertEquals(List.of(1), r);
        p.spawnN(() -> r.add(3));
        assertEquals(0, p.free());
        assertEquals(List.of(1), r);
        p.spawnN(() -> r.add(4));
        assertEquals(List.of(1, 2, 3), r);
        Eventlet.sleep(0);
        assertEquals(List.of(1, 2, 3, 4), r);
    }

    /** A task that throws (an exception or GreenletExit) frees its slot, with spawn and with spawnN. */
    @Test
    void failingTasksFreeTheirSlots() {
        GreenPool p = new GreenPool(2);
        Hub.get().setDebugExceptions(false);
        try {
            for (boolean useSpawnN : new boolean[] {false, true}) {
                for (Throwable t : new Throwable[] {new RuntimeException("boom"), new GreenletExit()}) {
                    assertPoolHasFree(p, 2);
                    Runnable raiser = () -> {
                        throw GreenThreadException.rethrow(t);
                    };
                    if (useSpawnN) {
                        p.spawnN(raiser);
                    } else {
                        p.spawn(() -> {
                            raiser.run();
                            return null;
                        });
                    }
                    assertPoolHasFree(p, 1);
                    p.waitAll();
                    assertPoolHasFree(p, 2);
                }
            }
        } finally {
            Hub.get().setDebugExceptions(true);
        }
    }

    /** An exception of a spawn task is delivered to await() as the same instance. */
    @Test
    void spawnTaskExceptionReachesAwait() {
        GreenPool p = new GreenPool(2);
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Hub.get().setDebugExceptions(false);
        try {
            GreenThread<Void> gt = p.spawn(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalArgumentException.class, gt::await));
        } finally {
            Hub.get().setDebugExceptions(true);
        }
        assertEquals(2, p.free());
    }

    /** An exception of a spawnN task is logged once, at ERROR with its message, and the pool goes on. */
    @Test
    void spawnNExceptionIsLoggedOnce() {
        GreenPool p = new GreenPool(1);
        try (LogCapture log = new LogCapture(Hub.class)) {
            p.spawnN(() -> {
                throw new IllegalStateException("spawnN failure 7");
            });
            p.waitAll();
            List<String> lines = log.lines().stream().filter(l -> l.contains("spawnN failure 7")).toList();
            assertEquals(1, lines.size(), () -> "log lines: " + log.lines());
            assertTrue(lines.get(0).startsWith("ERROR"), lines.get(0));
        }
        assertEquals(1, p.free());
    }

    /** Killing a running task, or one not started yet, frees its slot; await() then throws GreenletExit. */
    @Test
    void killedTasksFreeTheirSlots() {
        GreenPool p = new GreenPool(2);
        Event<Void> never = new Event<>();
        GreenThread<Void> running = p.spawn(() -> {
            step("running started");
            try {
                never.await();
            } finally {
                step("running finally");
            }
            return null;
        });
        Eventlet.sleep(0);
        GreenThread<Void> notStarted = p.spawn(() -> {
            step("must not run");
            return null;
        });
        assertEquals(0, p.free());
        notStarted.kill();
        assertEquals(1, p.free());
        running.kill();
        assertEquals(2, p.free());
        assertEquals(0, p.running());
        assertThrows(GreenletExit.class, notStarted::await);
        assertThrows(GreenletExit.class, running::await);
        assertEquals(List.of("running started", "running finally"), steps);
    }

    /** Killing a spawnN task (through its getCurrent view) frees its slot. */
    @Test
    void killedSpawnNTaskFreesItsSlot() {
        GreenPool p = new GreenPool(1);
        AtomicReference<GreenThread<?>> task = new AtomicReference<>();
        p.spawnN(() -> {
            task.set(Eventlet.getCurrent());
            new Event<Void>().await();
        });
        Eventlet.sleep(0);
        assertEquals(0, p.free());
        task.get().kill();
        assertEquals(1, p.free());
        p.waitAll();
    }

    /** A spawner killed while blocked for a slot leaves the queue and takes no slot. */
    @Test
    void killedBlockedSpawnerLeavesTheQueue() {
        GreenPool p = new GreenPool(1);
        Event<Void> hold = new Event<>();
        p.spawn(hold::await);
        GreenThread<Void> blocked = Eventlet.spawn(() -> {
            p.spawn(() -> {
                step("blocked spawner's task ran");
                return null;
            });
        });
        Eventlet.sleep(0);
        assertEquals(1, p.waiting());
        blocked.kill();
        assertEquals(0, p.waiting());
        hold.send(null);
        p.waitAll();
        assertEquals(1, p.free());
        assertEquals(List.of(), steps);
    }

    /** imap returns results in input order. */
    @Test
    void imapKeepsInputOrder() {
        GreenPool p = new GreenPool(4);
        List<Integer> out = new ArrayList<>();
        p.imap(GreenPoolTest::passthru, IntStream.range(0, 10).boxed().toList()).forEachRemaining(out::add);
        assertEquals(IntStream.range(0, 10).boxed().toList(), out);
    }

    /** imap over an empty input has no element. */
    @Test
    void imapOfNothingIsEmpty() {
        Iterator<Object> it = new GreenPool(4).imap(x -> x, List.of());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    /** An exception of fn is thrown for its own item, and the iterator goes on with the rest. */
    @Test
    void imapRethrowsPerItemAndContinues() {
        GreenPool p = new GreenPool(4);
        Hub.get().setDebugExceptions(false);
        try {
            Iterator<Integer> it = p.imap(i -> {
                if (i == 1 || i == 7) {
                    throw new IllegalStateException("intentional error");
                }
                return i;
            }, IntStream.range(0, 10).boxed().toList());
            List<String> results = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    results.add(String.valueOf(it.next()));
                } catch (IllegalStateException e) {
                    results.add("r");
                }
            }
            assertEquals(List.of("0", "r", "2", "3", "4", "5", "6", "r", "8", "9"), results);
        } finally {
            Hub.get().setDebugExceptions(true);
        }
    }

    /** On endless input imap keeps at most size calls in flight and pulls input only as results are taken. */
    @Test
    void imapIsLazyAndBoundedOnEndlessInput() {
        int size = 5;
        GreenPool p = new GreenPool(size);
        int[] pulled = {0};
        int[] inFlight = {0};
        int[] maxInFlight = {0};
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return pulled[0]++;
            }
        };
        Iterator<Integer> it = p.imap(i -> {
            inFlight[0]++;
            maxInFlight[0] = Math.max(maxInFlight[0], inFlight[0]);
            Eventlet.sleep(0);
            inFlight[0]--;
            return i;
        }, endless);
        assertEquals(0, pulled[0], "nothing is pulled before the first next()");
        for (int taken = 1; taken <= 1000; taken++) {
            assertEquals(taken - 1, it.next());
            assertTrue(pulled[0] <= taken - 1 + size, "pulled " + pulled[0] + " after taking " + taken);
        }
        assertEquals(size, maxInFlight[0]);
    }

    /** waitAll on a pool that never ran anything returns at once. */
    @Test
    void waitAllOnNothingReturns() {
        new GreenPool().waitAll();
    }

    /** waitAll from inside one of the pool's own green threads is an IllegalStateException. */
    @Test
    void waitAllFromOwnTaskIsRefused() {
        GreenPool p = new GreenPool();
        Hub.get().setDebugExceptions(false);
        try {
            GreenThread<Void> gt = p.spawn(() -> {
                p.waitAll();
                return null;
            });
            assertThrows(IllegalStateException.class, gt::await);
        } finally {
            Hub.get().setDebugExceptions(true);
        }
    }

    /** A negative size, at construction or resize, is an IllegalArgumentException naming it; size 0 is allowed. */
    @Test
    void negativeSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GreenPool(-1));
        assertTrue(e.getMessage().contains("size = -1"), e.getMessage());
        GreenPool p = new GreenPool(0);
        assertEquals(0, p.free());
        assertThrows(IllegalArgumentException.class, () -> p.resize(-2));
        assertEquals(1000, new GreenPool().free());
    }

    /** A pool bound to one hub refuses calls from another hub's thread. */
    @Test
    void poolIsConfinedToItsHub() throws Exception {
        GreenPool p = new GreenPool(1);
        p.spawn(() -> 1).await();
        CompletableFuture<Throwable> other = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                p.spawn(() -> 2);
                other.complete(null);
            } catch (Throwable e) {
                other.complete(e);
            }
        });
        t.join(10_000);
        assertTrue(other.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
    }
}

package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** GreenThread and the Eventlet facade: eventlet's greenthread_test behaviours. */
class GreenThreadTest {
    /** await returns the function's result. */
    @Test
    void awaitReturnsResult() {
        assertEquals(42, Eventlet.spawn(() -> 42).await());
    }

    /** An unchecked exception is rethrown from await as the same instance. */
    @Test
    void uncheckedExceptionIsRethrownAsIs() {
        IllegalStateException boom = new IllegalStateException("boom");
        GreenThread<Object> g = Eventlet.spawn(() -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, g::await));
        assertFalse(g.successful());
        assertTrue(g.dead());
    }

    /** A checked exception comes back wrapped in GreenThreadException with the original as cause. */
    @Test
    void checkedExceptionIsWrapped() {
        IOException io = new IOException("disk");
        GreenThread<Object> g = Eventlet.spawn(() -> {
            throw io;
        });
        assertSame(io, assertThrows(GreenThreadException.class, g::await).getCause());
    }

    /** A link runs in the finishing green thread after the result is set; links run in order. */
    @Test
    void linksRunAfterTheResultIsSet() {
        List<String> out = new ArrayList<>();
        GreenThread<String> g = Eventlet.spawn(() -> "r");
        g.link(gt -> out.add("1 " + gt.await() + " " + (Eventlet.getCurrent() == gt)));
        g.link(gt -> out.add("2"));
        g.await();
        assertEquals(List.of("1 r true", "2"), out);
    }

    /** Linking to a finished green thread calls the function at once. */
    @Test
    void linkAfterExitCallsAtOnce() {
        GreenThread<String> g = Eventlet.spawn(() -> "x");
        g.await();
        List<String> out = new ArrayList<>();
        g.link(gt -> out.add(gt.await()));
        assertEquals(List.of("x"), out);
    }

    /** unlink removes a link and reports whether it was there. */
    @Test
    void unlinkRemovesLink() {
        List<String> out = new ArrayList<>();
        GreenThread<String> g = Eventlet.spawn(() -> "x");
        Consumer<GreenThread<String>> link = gt -> out.add("linked");
        g.link(link);
        assertTrue(g.unlink(link));
        assertFalse(g.unlink(link));
        g.await();
        assertTrue(out.isEmpty());
    }

    /** A failing link is reported and does not stop later links. */
    @Test
    void failingLinkDoesNotStopOthers() {
        List<String> out = new ArrayList<>();
        GreenThread<String> g = Eventlet.spawn(() -> "x");
        g.link(gt -> {
            throw new IllegalStateException("link failed on purpose");
        });
        g.link(gt -> out.add("second"));
        g.await();
        assertEquals(List.of("second"), out);
    }

    /** Killing a green thread that has not started means its function never runs; await throws GreenletExit. */
    @Test
    void killBeforeStartNeverRuns() {
        List<String> out = new ArrayList<>();
        GreenThread<Boolean> g = Eventlet.spawn(() -> out.add("ran"));
        g.kill();
        assertTrue(g.dead());
        assertFalse(g.started());
        assertThrows(GreenletExit.class, g::await);
        Eventlet.sleep(0);
        assertTrue(out.isEmpty());
    }

    /** kill(t) raises t in the target; await rethrows it. */
    @Test
    void killWithThrowable() {
        GreenThread<Void> g = Eventlet.spawn(() -> Eventlet.sleep(10));
        Eventlet.sleep(0);
        IllegalArgumentException reason = new IllegalArgumentException("stop");
        Eventlet.kill(g, reason);
        assertSame(reason, assertThrows(IllegalArgumentException.class, g::await));
    }

    /** Killing a dead green thread does nothing. */
    @Test
    void killDeadIsNoop() {
        GreenThread<Integer> g = Eventlet.spawn(() -> 1);
        assertEquals(1, g.await());
        g.kill();
        assertEquals(1, g.await());
        assertTrue(g.successful());
    }

    /** A green thread killing itself gets the throwable at once. */
    @Test
    void killSelfThrowsHere() {
        List<String> out = new ArrayList<>();
        GreenThread<Void> g = Eventlet.spawn(() -> {
            try {
                Eventlet.getCurrent().kill();
                out.add("not reached");
            } finally {
                out.add("finally");
            }
        });
        assertThrows(GreenletExit.class, g::await);
        assertEquals(List.of("finally"), out);
    }

    /** catch (Exception e) in user code cannot swallow a kill. */
    @Test
    void catchExceptionDoesNotSwallowKill() {
        List<String> out = new ArrayList<>();
        GreenThread<Void> g = Eventlet.spawn(() -> {
            try {
                Eventlet.sleep(10);
            } catch (Exception e) {
                out.add("swallowed");
            }
            out.add("after");
        });
        Eventlet.sleep(0);
        g.kill();
        assertThrows(GreenletExit.class, g::await);
        assertTrue(out.isEmpty());
    }

    /** cancel kills a green thread that has not started, and leaves a running one alone. */
    @Test
    void cancelOnlyBeforeStart() {
        GreenThread<String> notStarted = Eventlet.spawn(() -> "a");
        notStarted.cancel();
        assertThrows(GreenletExit.class, notStarted::await);
        Event<String> go = new Event<>();
        GreenThread<String> running = Eventlet.spawn(() -> go.await());
        Eventlet.sleep(0);
        running.cancel();
        go.send("b");
        assertEquals("b", running.await());
    }

    /** getCurrent is null on a plain OS thread and the running green thread inside one, spawnN included. */
    @Test
    void getCurrent() {
        assertNull(Eventlet.getCurrent());
        GreenThread<Object> g = Eventlet.spawn(() -> (Object) Eventlet.getCurrent());
        assertSame(g, g.await());
        List<Object> seen = new ArrayList<>();
        Event<Void> done = new Event<>();
        Eventlet.spawnN(() -> {
            seen.add(Eventlet.getCurrent());
            done.send(null);
        });
        done.await();
        assertTrue(seen.get(0) instanceof GreenThread<?>);
    }

    /** spawnAfter starts the function only after the delay. */
    @Test
    void spawnAfterDelays() throws Exception {
        String out = VirtualHubs.run(() -> {
            double t0 = io.jeventlet.hubs.Hub.get().clock();
            GreenThread<Double> g = Eventlet.spawnAfter(5, () -> io.jeventlet.hubs.Hub.get().clock() - t0);
            Eventlet.sleep(4);
            boolean startedEarly = g.started();
            return startedEarly + " " + g.await();
        });
        assertEquals("false 5.0", out);
    }

    /** A spawnAfter killed before its delay never runs. */
    @Test
    void spawnAfterKilledNeverRuns() throws Exception {
        List<String> out = new ArrayList<>();
        VirtualHubs.run(() -> {
            GreenThread<Boolean> g = Eventlet.spawnAfter(1, () -> out.add("ran"));
            g.kill();
            Eventlet.sleep(2);
            assertThrows(GreenletExit.class, g::await);
            return null;
        });
        assertTrue(out.isEmpty());
    }

    /** spawnAfterLocal is not started if the spawning green thread has exited by then. */
    @Test
    void spawnAfterLocalDiesWithSpawner() throws Exception {
        List<String> out = new ArrayList<>();
        VirtualHubs.run(() -> {
            GreenThread<GreenThread<Boolean>> spawner = Eventlet.spawn(() -> Eventlet.spawnAfterLocal(1, () -> out.add("local")));
            GreenThread<Boolean> local = spawner.await();
            GreenThread<Boolean> global = Eventlet.spawnAfter(1, () -> out.add("global"));
            Eventlet.sleep(2);
            assertFalse(local.started());
            assertTrue(global.await());
            return null;
        });
        assertEquals(List.of("global"), out);
    }

    /** joinAll with a timeout returns only those finished, in finishing order. */
    @Test
    void joinAllTimeoutReturnsFinishedInOrder() throws Exception {
        VirtualHubs.run(() -> {
            GreenThread<Void> slow = Eventlet.spawn(() -> Eventlet.sleep(10));
            GreenThread<Void> b = Eventlet.spawn(() -> Eventlet.sleep(2));
            GreenThread<Void> a = Eventlet.spawn(() -> Eventlet.sleep(1));
            List<GreenThread<?>> done = Eventlet.joinAll(List.of(slow, b, a), 5);
            assertEquals(List.of(a, b), done);
            slow.kill();
            return null;
        });
    }

    /** A failure in one green thread does not stop the hub or other green threads. */
    @Test
    void failureIsolated() {
        GreenThread<Object> bad = Eventlet.spawn(() -> {
            throw new IllegalStateException("failure on purpose");
        });
        GreenThread<String> good = Eventlet.spawn(() -> {
            Eventlet.sleep(0);
            return "fine";
        });
        Eventlet.spawnN(() -> {
            throw new IllegalStateException("spawnN failure on purpose");
        });
        assertEquals("fine", good.await());
        assertThrows(IllegalStateException.class, bad::await);
    }

    /** A green thread cannot await itself. */
    @Test
    void awaitSelfIsAnError() {
        GreenThread<Object> g = Eventlet.spawn(() -> {
            try {
                Eventlet.getCurrent().await();
                return "no";
            } catch (IllegalStateException e) {
                return "refused";
            }
        });
        assertEquals("refused", g.await());
    }

    /** Negative and NaN times are IllegalArgumentException, never a hang. */
    @Test
    void negativeTimesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Eventlet.sleep(-1));
        assertThrows(IllegalArgumentException.class, () -> Eventlet.sleep(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Eventlet.spawnAfter(-0.5, () -> 1));
        assertThrows(IllegalArgumentException.class, () -> Eventlet.joinAll(List.of(), -1));
    }
}

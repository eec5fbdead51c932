package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.BlockingOperationException;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.HubClock;
import io.jeventlet.hubs.HubStats;
import io.jeventlet.hubs.LoopExit;
import io.jeventlet.hubs.Timer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hub: eventlet's hub_test behaviours, and the invariants of DESIGN.md. */
class HubTest {
    /** Timers fire by deadline; equal deadlines fire in scheduling order. */
    @Test
    void timersFireByDeadlineThenSchedulingOrder() throws Exception {
        List<String> out = VirtualHubs.run(() -> {
            List<String> fired = new ArrayList<>();
            Hub hub = Hub.get();
            hub.scheduleCallGlobal(2, () -> fired.add("b2"));
            hub.scheduleCallGlobal(1, () -> fired.add("a1"));
            hub.scheduleCallGlobal(2, () -> fired.add("c2"));
            hub.scheduleCallGlobal(0, () -> fired.add("z0"));
            Eventlet.sleep(3);
            return fired;
        });
        assertEquals(List.of("z0", "a1", "b2", "c2"), out);
    }

    /** A timer reports pending, then called; a cancelled one never runs and cancel is idempotent. */
    @Test
    void timerStates() throws Exception {
        VirtualHubs.run(() -> {
            List<String> fired = new ArrayList<>();
            Hub hub = Hub.get();
            Timer a = hub.scheduleCallGlobal(1, () -> fired.add("a"));
            Timer b = hub.scheduleCallGlobal(1, () -> fired.add("b"));
            assertTrue(a.pending());
            assertEquals(1.0, a.seconds());
            b.cancel();
            b.cancel();
            Eventlet.sleep(2);
            assertTrue(a.called());
            assertFalse(a.pending());
            assertFalse(b.called());
            assertFalse(b.pending());
            assertEquals(List.of("a"), fired);
            return null;
        });
    }

    /** A failing callback is logged once with its stack and the hub goes on with the next timers. */
    @Test
    void failingCallbackIsLoggedAndHubGoesOn() throws Exception {
        try (LogCapture log = new LogCapture(Hub.class)) {
            List<String> out = VirtualHubs.run(() -> {
                List<String> fired = new ArrayList<>();
                Hub hub = Hub.get();
                hub.scheduleCallGlobal(1, () -> {
                    throw new IllegalStateException("callback failed on purpose");
                });
                hub.scheduleCallGlobal(1, () -> fired.add("next"));
                Eventlet.sleep(2);
                return fired;
            });
            assertEquals(List.of("next"), out);
            long errors = log.lines().stream().filter(l -> l.startsWith("ERROR") && l.contains("callback failed on purpose")).count();
            assertEquals(1, errors, log.lines().toString());
        }
    }

    /** With debug exceptions off, a failing spawnN function is not logged. */
    @Test
    void debugExceptionsOffSilencesFailures() throws Exception {
        try (LogCapture log = new LogCapture(Hub.class)) {
            VirtualHubs.run(() -> {
                Hub.get().setDebugExceptions(false);
                Eventlet.spawnN(() -> {
                    throw new IllegalStateException("quiet failure");
                });
                Eventlet.sleep(1);
                Hub.get().setDebugExceptions(true);
                Eventlet.spawnN(() -> {
                    throw new IllegalStateException("loud failure");
                });
                Eventlet.sleep(1);
                return null;
            });
            String all = String.join("\n", log.lines());
            assertFalse(all.contains("quiet failure"), all);
            assertTrue(all.contains("loud failure"), all);
        }
    }

    /** scheduleCallLocal is cancelled when the green thread that scheduled it has exited. */
    @Test
    void localTimerDiesWithItsGreenThread() throws Exception {
        List<String> out = VirtualHubs.run(() -> {
            List<String> fired = new ArrayList<>();
            Eventlet.spawn(() -> {
                Hub.get().scheduleCallLocal(1, () -> fired.add("local"));
                Hub.get().scheduleCallGlobal(1, () -> fired.add("global"));
            }).await();
            Eventlet.sleep(2);
            return fired;
        });
        assertEquals(List.of("global"), out);
    }

    /** callThreadsafe callbacks from other OS threads run in the hub, in submission order per thread. */
    @Test
    void callThreadsafeFromOtherThreads() throws Exception {
        Hub hub = Hub.withClock(HubClock.real());
        Thread carrier = Thread.ofPlatform().start(hub::run);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);
        Runnable producer = () -> {
            String name = Thread.currentThread().getName();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                hub.callThreadsafe(() -> {
                    assertSame(hub, Hub.get());
                    seen.add(name + ":" + n);
                });
            }
            hub.callThreadsafe(done::countDown);
        };
        Thread p1 = Thread.ofPlatform().name("p1").start(producer);
        Thread p2 = Thread.ofPlatform().name("p2").start(producer);
        assertTrue(done.await(20, TimeUnit.SECONDS));
        assertTrue(hub.running());
        hub.abort();
        carrier.join(10_000);
        p1.join();
        p2.join();
        assertFalse(hub.running());
        for (String p : List.of("p1", "p2")) {
            List<String> mine = seen.stream().filter(s -> s.startsWith(p + ":")).toList();
            assertEquals(1000, mine.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(p + ":" + i, mine.get(i));
            }
        }
    }

    /** On a virtual clock, a green thread that sleeps for hours finishes in well under a second of real time. */
    @Test
    void virtualClockRunsHoursQuickly() throws Exception {
        long start = System.nanoTime();
        double slept = VirtualHubs.run(() -> {
            Hub hub = Hub.get();
            double t0 = hub.clock();
            for (int i = 0; i < 24; i++) {
                Eventlet.sleep(3600);
            }
            return hub.clock() - t0;
        });
        assertEquals(24 * 3600.0, slept);
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    /** A blocking function called from a hub callback throws BlockingOperationException (an IllegalStateException) instead of deadlocking. */
    @Test
    void blockingInCallbackIsRefused() throws Exception {
        String msg = VirtualHubs.run(() -> {
            List<String> got = new ArrayList<>();
            Hub.get().scheduleCallGlobal(0, () -> {
                try {
                    Eventlet.sleep(1);
                } catch (BlockingOperationException e) {
                    got.add(e.getMessage());
                }
            });
            Eventlet.sleep(1);
            return got.get(0);
        });
        assertTrue(msg.contains("do not call blocking functions"), msg);
    }

    /** A wait that nothing can end throws LoopExit naming what was awaited, instead of hanging. */
    @Test
    void loopExitNamesTheWait() {
        Event<String> never = new Event<>();
        LoopExit e = assertThrows(LoopExit.class, never::await);
        assertTrue(e.getMessage().contains("Event.await"), e.getMessage());
        GreenThread<String> stuck = Eventlet.spawn(() -> never.await());
        LoopExit e2 = assertThrows(LoopExit.class, stuck::await);
        assertTrue(e2.getMessage().contains("GreenThread.await"), e2.getMessage());
        stuck.kill();
    }

    /** Each OS thread has its own hub; inside a green thread Hub.get is the hub it runs on. */
    @Test
    void hubPerThread() throws Exception {
        Hub mine = Hub.get();
        assertSame(mine, Hub.get());
        assertSame(mine, Eventlet.spawn(Hub::get).await());
        Hub[] other = new Hub[1];
        Thread t = Thread.ofPlatform().start(() -> other[0] = Hub.get());
        t.join();
        assertNotSame(mine, other[0]);
    }

    /** dump lists every live green thread with its stack, and the hub's counters. */
    @Test
    void dumpShowsGreenThreadsAndCounters() {
        Event<Void> gate = new Event<>();
        GreenThread<Void> g = Eventlet.spawn(() -> {
            gate.await();
        });
        Eventlet.sleep(0);
        String dump = Hub.get().dump();
        assertTrue(dump.contains("1 green threads"), dump);
        assertTrue(dump.contains("Event.await"), dump);
        assertTrue(dump.contains("timers="), dump);
        gate.send(null);
        g.await();
    }

    /** A green thread holding the hub past the threshold is reported once, with its stack. */
    @Test
    void blockingDetectorReportsOncePerIncident() throws Exception {
        Hub hub = Hub.get();
        try (LogCapture log = new LogCapture(Class.forName("io.jeventlet.hubs.BlockingDetector"))) {
            hub.setBlockingDetection(0.05);
            Eventlet.spawn(() -> {
                long end = System.nanoTime() + 400_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }).await();
            hub.setBlockingDetection(0);
            List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARN")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("without yielding"), warnings.get(0));
        }
    }

    /**
     * The stats snapshot counts live green threads, pending timers and the
     * blocking detector's reports, and can be taken from another OS thread.
     */
    @Test
    void statsSnapshotCountsThreadsTimersAndBlockedReports() throws Exception {
        Hub hub = Hub.get();
        long before = hub.stats().blockedReports();
        GreenThread<Void> sleeper = Eventlet.spawn(() -> Eventlet.sleep(3600));
        Timer timer = hub.scheduleCallGlobal(3600, () -> { });
        Eventlet.sleep(0);
        HubStats[] seen = new HubStats[1];
        Thread reader = Thread.ofPlatform().start(() -> seen[0] = hub.stats());
        reader.join();
        assertEquals(1, seen[0].greenThreads(), seen[0].toString());
        assertTrue(seen[0].timers() >= 2, seen[0].toString());
        assertEquals(0.0, seen[0].blockingLimitSeconds());
        sleeper.kill();
        timer.cancel();
        try (LogCapture log = new LogCapture(Class.forName("io.jeventlet.hubs.BlockingDetector"))) {
            hub.setBlockingDetection(0.05);
            assertEquals(0.05, hub.stats().blockingLimitSeconds(), 1e-9);
            Eventlet.spawn(() -> {
                long end = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }).await();
            hub.setBlockingDetection(0);
        }
        assertEquals(before + 1, hub.stats().blockedReports());
    }

    /** Hub-confined calls from a foreign OS thread are refused with a message pointing at callThreadsafe. */
    @Test
    void confinedCallFromForeignThreadIsRefused() throws Exception {
        Hub hub = Hub.get();
        Throwable[] got = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                hub.scheduleCallGlobal(1, () -> { });
            } catch (Throwable e) {
                got[0] = e;
            }
        });
        t.join();
        assertTrue(got[0] instanceof IllegalStateException);
        assertTrue(got[0].getMessage().contains("callThreadsafe"), got[0].getMessage());
    }

    /**
     * A virtual thread that code inside a green thread starts itself inherits the
     * hub as scheduler (a JDK rule) but is not a green thread: it says so loudly
     * when it calls the runtime, instead of silently joining the hub.
     */
    @Test
    void foreignVirtualThreadIsNotAGreenThread() {
        String seen = Eventlet.spawn(() -> {
            String[] got = new String[1];
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    got[0] = "current=" + Eventlet.getCurrent();
                    Eventlet.sleep(0.01);
                    got[0] += ", slept";
                } catch (IllegalStateException e) {
                    got[0] += ", refused: " + e.getMessage();
                }
            });
            vt.join();
            return got[0];
        }).await();
        assertTrue(seen.startsWith("current=null, refused: a virtual thread that is not a green thread"), seen);
    }

    /** sleep(0) runs everything already runnable before the caller resumes, in FIFO order. */
    @Test
    void sleepZeroRunsAllRunnableFirst() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            Eventlet.spawnN(() -> out.add(n));
        }
        Eventlet.sleep(0);
        assertEquals(List.of(0, 1, 2, 3, 4), out);
    }
}

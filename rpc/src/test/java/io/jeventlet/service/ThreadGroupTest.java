package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.Eventlet;
import io.jeventlet.FixedIntervalLoopingCall;
import io.jeventlet.GreenThread;
import io.jeventlet.LogCapture;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** oslo.service's ThreadGroup semantics, each on a fresh virtual-clock hub. */
class ThreadGroupTest {

    /** threadCount counts the live threads only: a finished thread leaves the group. */
    @Test
    void finishedThreadsLeaveTheGroup() throws Exception {
        VirtualHubs.on(() -> {
            ThreadGroup tg = new ThreadGroup();
            GreenThread<String> quick = tg.addThread(() -> "done");
            tg.addThread(() -> {
                Eventlet.sleep(10);
                return null;
            });
            assertEquals(2, tg.threadCount());
            assertEquals("done", quick.await());
            assertEquals(1, tg.threadCount());
            tg.await();
            assertEquals(0, tg.threadCount());
        });
    }

    /** A failing thread is logged once, with its exception, and neither the other threads, the timers nor await() are affected. */
    @Test
    void failingThreadIsLoggedOnceAndDoesNotTakeTheGroupDown() throws Exception {
        try (LogCapture hubLog = new LogCapture(Hub.class, Level.INFO)) {
            VirtualHubs.on(() -> {
                ThreadGroup tg = new ThreadGroup();
                List<Double> ticks = new ArrayList<>();
                tg.addTimer(1, () -> ticks.add(Hub.get().clock()), 0);
                tg.addThread(() -> {
                    throw new IllegalStateException("boom in a service thread");
                });
                GreenThread<String> survivor = tg.addThread(() -> {
                    Eventlet.sleep(3.5);
                    return "survived";
                });
                Eventlet.sleep(5);
                assertEquals("survived", survivor.await());
                assertTrue(ticks.size() >= 5, "the timer stopped: " + ticks);
                tg.stopTimers();
                tg.await();
            });
            List<String> errors = hubLog.errors();
            assertEquals(1, errors.stream().filter(l -> l.contains("boom in a service thread")).count(), errors.toString());
        }
    }

    /** stop(true) stops the timers and waits for every thread to finish its work. */
    @Test
    void gracefulStopWaitsForThreadsAndStopsTimers() throws Exception {
        VirtualHubs.on(() -> {
            ThreadGroup tg = new ThreadGroup();
            List<Double> ticks = new ArrayList<>();
            FixedIntervalLoopingCall timer = tg.addTimer(1, () -> ticks.add(Hub.get().clock()), 0);
            GreenThread<String> worker = tg.addThread(() -> {
                Eventlet.sleep(7);
                return "finished";
            });
            Eventlet.sleep(2.5);
            tg.stop(true);
            assertEquals(7.0, Hub.get().clock(), 1e-9, "stop(true) returned before the thread finished");
            assertEquals("finished", worker.await());
            assertEquals(Boolean.TRUE, timer.await());
            int before = ticks.size();
            Eventlet.sleep(5);
            assertEquals(before, ticks.size(), "a timer ran after stop");
            assertEquals(0, tg.threadCount());
        });
    }

    /** stop(false) kills the threads at once (their finally blocks run) and stops the timers. */
    @Test
    void stopKillsThreads() throws Exception {
        VirtualHubs.on(() -> {
            ThreadGroup tg = new ThreadGroup();
            List<String> cleaned = new ArrayList<>();
            FixedIntervalLoopingCall timer = tg.addTimer(1, () -> { }, 0);
            GreenThread<Object> worker = tg.addThread(() -> {
                try {
                    Eventlet.sleep(1000);
                    return "not killed";
                } finally {
                    cleaned.add("finally");
                }
            });
            Eventlet.sleep(1);
            tg.stop(false);
            assertEquals(1.0, Hub.get().clock(), 1e-9);
            assertEquals(List.of("finally"), cleaned);
            assertTrue(worker.dead());
            assertEquals(Boolean.TRUE, timer.await());
            tg.await();
            assertEquals(0, tg.threadCount());
        });
    }

    /** stopTimers stops the timers only: the threads go on. */
    @Test
    void stopTimersLeavesThreadsRunning() throws Exception {
        VirtualHubs.on(() -> {
            ThreadGroup tg = new ThreadGroup();
            List<Double> ticks = new ArrayList<>();
            tg.addDynamicTimer(() -> {
                ticks.add(Hub.get().clock());
                return 2.0;
            }, 0, 10);
            GreenThread<String> worker = tg.addThread(() -> {
                Eventlet.sleep(10);
                return "went on";
            });
            Eventlet.sleep(5);
            tg.stopTimers();
            assertEquals(List.of(0.0, 2.0, 4.0), ticks);
            assertEquals(1, tg.threadCount());
            assertEquals("went on", worker.await());
            assertEquals(List.of(0.0, 2.0, 4.0), ticks);
        });
    }

    /** A thread of the group may stop its own group: it is neither waited for nor killed. */
    @Test
    void threadMayStopItsOwnGroup() throws Exception {
        VirtualHubs.on(() -> {
            ThreadGroup tg = new ThreadGroup();
            GreenThread<String> other = tg.addThread(() -> {
                Eventlet.sleep(3);
                return "other";
            });
            GreenThread<String> self = tg.addThread(() -> {
                tg.stop(true);
                return "stopped the group";
            });
            assertEquals("stopped the group", self.await());
            assertTrue(other.dead());
            assertEquals("other", other.await());
        });
    }

    /** A group is confined to the hub it was first used on: use from another hub is an IllegalStateException. */
    @Test
    void useFromAnotherHubIsRejected() throws Exception {
        ThreadGroup tg = VirtualHubs.run(() -> {
            ThreadGroup g = new ThreadGroup("confined group");
            g.addThread(() -> null).await();
            return g;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VirtualHubs.on(() -> tg.addThread(() -> null)));
        assertTrue(e.getMessage().contains("confined group") && e.getMessage().contains("callThreadsafe"),
                e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}

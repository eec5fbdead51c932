package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.Eventlet;
import io.jeventlet.LogCapture;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** oslo.service's periodic tasks, on a virtual clock: spacing, run-immediately, failures, the loop and its fuzzy start. */
class PeriodicTasksTest {

    /** Records "name@time" for every run. */
    static class Recorded extends PeriodicTasks {
        final List<String> runs = new ArrayList<>();

        void record(String name) {
            runs.add(name + "@" + (long) Hub.get().clock());
        }
    }

    static final class Tasks extends Recorded {
        @PeriodicTask(spacing = 10, runImmediately = true)
        void fast(Context ctx) {
            record("fast");
        }

        @PeriodicTask(spacing = 25)
        void slow(Context ctx) {
            record("slow");
        }

        @PeriodicTask
        void hourly(Context ctx) {
            record("default");
        }

        @PeriodicTask(spacing = -1)
        void negative(Context ctx) {
            record("negative");
        }

        @PeriodicTask(spacing = 5, enabled = false)
        void disabled(Context ctx) {
            record("disabled");
        }
    }

    /** A run-immediately task runs at the first call, the others one spacing later; each call returns the seconds to the next due task. */
    @Test
    void runsDueTasksAndReturnsTheIdleTime() throws Exception {
        VirtualHubs.on(() -> {
            Tasks t = new Tasks();
            assertEquals(List.of("Tasks.fast", "Tasks.hourly", "Tasks.slow"), t.taskNames());
            assertEquals(10.0, t.runPeriodicTasks(Context.empty(), false), 1e-9);
            assertEquals(List.of("fast@0"), t.runs);
            Eventlet.sleep(10);
            assertEquals(10.0, t.runPeriodicTasks(Context.empty(), false), 1e-9);
            Eventlet.sleep(10);
            assertEquals(5.0, t.runPeriodicTasks(Context.empty(), false), 1e-9);
            Eventlet.sleep(5);
            t.runPeriodicTasks(Context.empty(), false);
            assertEquals(List.of("fast@0", "fast@10", "fast@20", "slow@25"), t.runs);
        });
    }

    /** A spacing of 0 means the default 60 s; negative or disabled tasks never run. */
    @Test
    void zeroSpacingIsTheDefaultAndDisabledTasksNeverRun() throws Exception {
        VirtualHubs.on(() -> {
            Tasks t = new Tasks();
            for (int i = 0; i < 13; i++) {
                t.runPeriodicTasks(Context.empty(), false);
                Eventlet.sleep(5);
            }
            assertTrue(t.runs.contains("default@60"), t.runs.toString());
            assertTrue(t.runs.stream().noneMatch(r -> r.startsWith("negative") || r.startsWith("disabled")),
                    t.runs.toString());
        });
    }

    static final class Failing extends Recorded {
        @PeriodicTask(spacing = 10, runImmediately = true)
        void a(Context ctx) {
            throw new IllegalStateException("task a broke");
        }

        @PeriodicTask(spacing = 10, runImmediately = true)
        void b(Context ctx) {
            record("b");
        }
    }

    /** A failing task is logged and the others still run; with raiseOnError its exception ends the call. */
    @Test
    void failingTaskIsLoggedAndOthersRun() throws Exception {
        try (LogCapture log = new LogCapture(PeriodicTasks.class, Level.INFO)) {
            VirtualHubs.on(() -> {
                Failing f = new Failing();
                f.runPeriodicTasks(Context.empty(), false);
                assertEquals(List.of("b@0"), f.runs);
                Eventlet.sleep(10);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> f.runPeriodicTasks(Context.empty(), true));
                assertEquals("task a broke", e.getMessage());
            });
            assertTrue(log.errors().stream().anyMatch(l -> l.contains("Error during Failing.a") && l.contains("task a broke")),
                    log.text());
        }
    }

    static final class Slow extends Recorded {
        @PeriodicTask(spacing = 10, runImmediately = true)
        void tick(Context ctx) {
            record("tick");
        }
    }

    /** Missed runs are skipped, not made up: after a long stall the task runs once and keeps its 10 s boundaries. */
    @Test
    void missedRunsAreNotMadeUp() throws Exception {
        VirtualHubs.on(() -> {
            Slow s = new Slow();
            s.runPeriodicTasks(Context.empty(), false);
            Eventlet.sleep(47);
            double idle = s.runPeriodicTasks(Context.empty(), false);
            assertEquals(3.0, idle, 1e-9, "the next boundary is at 50");
            assertEquals(List.of("tick@0", "tick@47"), s.runs);
            Eventlet.sleep(idle);
            s.runPeriodicTasks(Context.empty(), false);
            assertEquals(List.of("tick@0", "tick@47", "tick@50"), s.runs);
        });
    }

    static final class Agent extends PeriodicTasks {
        final List<String> names = new ArrayList<>();
        final List<Double> times = new ArrayList<>();

        @PeriodicTask(spacing = 16, runImmediately = true)
        void resync(Context ctx) {
            names.add("resync");
            times.add(Hub.get().clock());
        }

        @PeriodicTask(spacing = 12)
        void report(Context ctx) {
            names.add("report");
            times.add(Hub.get().clock());
            if (names.size() == 2) {
                throw new IllegalStateException("report failed once");
            }
        }
    }

    /**
     * Driven by a DynamicLoopingCall in a thread group: the first run waits a
     * random delay within the fuzzy range, then tasks run when due (a failure
     * does not stop the loop), and stopping the group's timers ends it.
     */
    @Test
    void loopInAThreadGroupWithAFuzzyStart() throws Exception {
        VirtualHubs.on(() -> {
            Agent a = new Agent();
            a.setRandom(new Random(42));
            double start = new Random(42).nextDouble() * 5;
            assertTrue(start > 0 && start <= 5);
            ThreadGroup tg = new ThreadGroup();
            a.startPeriodicTasks(tg, Context.empty(), 40, 5);
            Eventlet.sleep(start + 50);
            tg.stopTimers();
            assertEquals(List.of("resync", "report", "resync", "report", "resync", "report", "report", "resync"),
                    a.names);
            double[] offsets = {0, 12, 16, 24, 32, 36, 48, 48};
            for (int i = 0; i < offsets.length; i++) {
                assertEquals(start + offsets[i], a.times.get(i), 1e-6, "run " + i + " of " + a.names);
            }
            int runs = a.names.size();
            Eventlet.sleep(100);
            assertEquals(runs, a.names.size(), "the loop ran after its timer was stopped");
        });
    }

    static final class BadSignature extends PeriodicTasks {
        @PeriodicTask
        void wrong(String notAContext) {
        }
    }

    /** A @PeriodicTask method that does not take one Context is rejected, by name. */
    @Test
    void wrongSignatureIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BadSignature::new);
        assertTrue(e.getMessage().contains("BadSignature.wrong") && e.getMessage().contains("Context"), e.getMessage());
    }

    /** A checked exception with raiseOnError comes back wrapped in GreenThreadException, its cause the original. */
    @Test
    void checkedFailureIsWrapped() throws Exception {
        VirtualHubs.on(() -> {
            PeriodicTasks t = new PeriodicTasks() {
                @PeriodicTask(runImmediately = true)
                void io(Context ctx) throws java.io.IOException {
                    throw new java.io.IOException("disk");
                }
            };
            io.jeventlet.GreenThreadException e = assertThrows(io.jeventlet.GreenThreadException.class,
                    () -> t.runPeriodicTasks(Context.empty(), true));
            assertSame(java.io.IOException.class, e.getCause().getClass());
        });
    }
}

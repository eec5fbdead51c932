package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * FixedIntervalLoopingCall and DynamicLoopingCall (oslo.service's
 * test_loopingcall behaviours), each on a fresh virtual-clock hub, so the
 * exact hub time of every run is asserted and hours of loop time take
 * milliseconds.
 */
class LoopingCallTest {
    /** A task with a readable name (log lines name the task by its toString) that records when it ran. */
    private static class Recorder implements Runnable {
        final String name;
        final List<Double> runs = new ArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void run() {
            runs.add(Hub.get().clock());
            body(runs.size());
        }

        /** What run number {@code n} (from 1) does besides recording its time. */
        void body(int n) {
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A recorder that ends the loop with LoopingCallDone(result) on run {@code last}. */
    private static Recorder doneAfter(int last, Object result) {
        return new Recorder("done-after-" + last) {
            @Override
            void body(int n) {
                if (n == last) {
                    throw new LoopingCallDone(result);
                }
            }
        };
    }

    private static double now() {
        return Hub.get().clock();
    }

    /** The task runs every interval, start to start, at exact hub times, and LoopingCallDone's value is the result. */
    @Test
    void fixedRunsAtExactIntervals() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = doneAfter(3, "finished");
            FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
            call.start(10, 0, true);
            assertEquals("finished", call.await());
            assertEquals(List.of(0.0, 10.0, 20.0), task.runs);
            return null;
        });
    }

    /** start returns at once; the first run happens after the initial delay. */
    @Test
    void fixedHonoursInitialDelay() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = doneAfter(3, null);
            FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
            Event<Object> done = call.start(10, 5, true);
            assertEquals(List.of(), task.runs, "start must not run the task");
            assertEquals(0.0, now());
            assertEquals(null, done.await());
            assertEquals(List.of(5.0, 15.0, 25.0), task.runs);
            return null;
        });
    }

    /** A run that outlasts the interval logs the oslo warning and the next run starts at once. */
    @Test
    void overrunWarnsAndRunsNextAtOnce() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = new Recorder("report_state") {
                @Override
                void body(int n) {
                    if (n == 3) {
                        throw new LoopingCallDone();
                    }
                    Eventlet.sleep(15);
                }
            };
            try (LogCapture log = new LogCapture(FixedIntervalLoopingCall.class)) {
                FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
                call.start(10, 0, true);
                assertEquals(Boolean.TRUE, call.await());
                assertEquals(List.of(0.0, 15.0, 30.0), task.runs);
                assertEquals(List.of("WARN Function report_state run outlasted interval by 5.00 sec",
                        "WARN Function report_state run outlasted interval by 5.00 sec"), log.lines());
            }
            return null;
        });
    }

    /** After one long overrun the loop goes back to its interval: no catch-up burst of missed runs. */
    @Test
    void overrunIsNeverCaughtUpInABurst() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = new Recorder("slow-once") {
                @Override
                void body(int n) {
                    if (n == 1) {
                        Eventlet.sleep(25);
                    } else if (n == 4) {
                        throw new LoopingCallDone();
                    }
                }
            };
            try (LogCapture log = new LogCapture(FixedIntervalLoopingCall.class)) {
                new FixedIntervalLoopingCall(task).start(10, 0, true);
                Eventlet.sleep(100);
                assertEquals(List.of(0.0, 25.0, 35.0, 45.0), task.runs);
                assertEquals(List.of("WARN Function slow-once run outlasted interval by 15.00 sec"), log.lines());
            }
            return null;
        });
    }

    /** stop() ends the idle at once: the loop finishes at the stop, not an interval later, with result TRUE. */
    @Test
    void stopInterruptsTheSleep() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = new Recorder("hourly");
            FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
            call.start(3600, 0, true);
            Eventlet.spawn(() -> {
                Eventlet.sleep(5);
                call.stop();
            });
            assertEquals(Boolean.TRUE, call.await());
            assertEquals(5.0, now());
            assertEquals(List.of(0.0), task.runs);
            return null;
        });
    }

    /** stop() during the initial delay ends the loop before the task ever runs. */
    @Test
    void stopDuringInitialDelayNeverRunsTheTask() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = new Recorder("delayed");
            FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
            call.start(10, 60, true);
            Eventlet.sleep(1);
            call.stop();
            assertEquals(Boolean.TRUE, call.await());
            assertEquals(1.0, now());
            assertEquals(List.of(), task.runs);
            return null;
        });
    }

    /** stop() called by the task itself ends the loop right after that run. */
    @Test
    void stopFromInsideTheTask() throws Exception {
        VirtualHubs.run(() -> {
            FixedIntervalLoopingCall[] call = new FixedIntervalLoopingCall[1];
            Recorder task = new Recorder("self-stopping") {
                @Override
                void body(int n) {
                    if (n == 2) {
                        call[0].stop();
                    }
                }
            };
            call[0] = new FixedIntervalLoopingCall(task);
            call[0].start(10, 0, true);
            assertEquals(Boolean.TRUE, call[0].await());
            assertEquals(List.of(0.0, 10.0), task.runs);
            assertEquals(10.0, now());
            return null;
        });
    }

    /** A second start while the loop runs is refused; once it ended, the call can be started again. */
    @Test
    void secondStartWhileRunningIsRefused() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = new Recorder("twice");
            FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
            call.start(10, 0, true);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> call.start(10, 0, true));
            assertTrue(e.getMessage().contains("twice"), e.getMessage());
            Eventlet.sleep(15);
            call.stop();
            assertEquals(Boolean.TRUE, call.await());
            assertEquals(List.of(0.0, 10.0), task.runs);

            Event<Object> again = call.start(10, 0, true);
            Eventlet.sleep(1);
            call.stop();
            assertEquals(Boolean.TRUE, again.await());
            assertEquals(List.of(0.0, 10.0, 15.0), task.runs);
            return null;
        });
    }

    /** With stopOnException, a task exception ends the loop, is logged once, and await rethrows the same instance. */
    @Test
    void stopOnExceptionEndsTheLoop() throws Exception {
        VirtualHubs.run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Recorder task = new Recorder("failing") {
                @Override
                void body(int n) {
                    if (n == 2) {
                        throw boom;
                    }
                }
            };
            try (LogCapture log = new LogCapture(FixedIntervalLoopingCall.class)) {
                FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
                Event<Object> done = call.start(10, 0, true);
                assertSame(boom, assertThrows(IllegalStateException.class, call::await));
                assertSame(boom, assertThrows(IllegalStateException.class, done::await));
                assertEquals(List.of(0.0, 10.0), task.runs);
                assertEquals(List.of("ERROR Fixed interval looping call failing failed | boom"), log.lines());
            }
            return null;
        });
    }

    /** A checked exception that ends the loop comes out of await wrapped in GreenThreadException. */
    @Test
    void checkedExceptionIsWrapped() throws Exception {
        VirtualHubs.run(() -> {
            IOException io = new IOException("io");
            DynamicLoopingCall call = new DynamicLoopingCall(() -> {
                throw io;
            });
            call.start(0, Double.POSITIVE_INFINITY, true);
            GreenThreadException e = assertThrows(GreenThreadException.class, call::await);
            assertSame(io, e.getCause());
            return null;
        });
    }

    /** Without stopOnException, a task exception is logged and the loop keeps its schedule. */
    @Test
    void exceptionIsLoggedAndLoopGoesOn() throws Exception {
        VirtualHubs.run(() -> {
            Recorder task = new Recorder("flaky") {
                @Override
                void body(int n) {
                    if (n == 1 || n == 2) {
                        throw new IllegalStateException("flake " + n);
                    }
                    if (n == 4) {
                        throw new LoopingCallDone("survived");
                    }
                }
            };
            try (LogCapture log = new LogCapture(FixedIntervalLoopingCall.class)) {
                FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
                call.start(10, 0, false);
                assertEquals("survived", call.await());
                assertEquals(List.of(0.0, 10.0, 20.0, 30.0), task.runs);
                assertEquals(List.of("ERROR Fixed interval looping call flaky failed | flake 1",
                        "ERROR Fixed interval looping call flaky failed | flake 2"), log.lines());
            }
            return null;
        });
    }

    /** Negative or NaN times are IllegalArgumentExceptions naming the argument. */
    @Test
    void invalidTimesAreRejectedByName() throws Exception {
        VirtualHubs.run(() -> {
            FixedIntervalLoopingCall fixed = new FixedIntervalLoopingCall(() -> { });
            assertTrue(assertThrows(IllegalArgumentException.class, () -> fixed.start(-1, 0, true))
                    .getMessage().contains("intervalSeconds"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> fixed.start(1, Double.NaN, true))
                    .getMessage().contains("initialDelaySeconds"));
            DynamicLoopingCall dynamic = new DynamicLoopingCall(() -> 1.0);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> dynamic.start(0, -2, true))
                    .getMessage().contains("periodicIntervalMaxSeconds"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> dynamic.start(-0.5, 1, true))
                    .getMessage().contains("initialDelaySeconds"));
            assertThrows(IllegalStateException.class, fixed::await, "await before start");
            return null;
        });
    }

    /** LoopingCallDone without a value makes the result TRUE (oslo's default). */
    @Test
    void loopingCallDoneDefaultsToTrue() {
        assertEquals(Boolean.TRUE, new LoopingCallDone().value());
        assertEquals(null, new LoopingCallDone(null).value());
        assertEquals(7, new LoopingCallDone(7).value());
    }

    /** A dynamic call idles for the delay each run returns, capped to the maximum. */
    @Test
    void dynamicIdlesForReturnedDelayCappedToMax() throws Exception {
        VirtualHubs.run(() -> {
            List<Double> runs = new ArrayList<>();
            double[] delays = {5, 100, 0};
            DynamicLoopingCall call = new DynamicLoopingCall(() -> {
                runs.add(now());
                if (runs.size() > delays.length) {
                    throw new LoopingCallDone("dynamic done");
                }
                return delays[runs.size() - 1];
            });
            call.start(2, 30, true);
            assertEquals("dynamic done", call.await());
            assertEquals(List.of(2.0, 7.0, 37.0, 37.0), runs);
            return null;
        });
    }

    /** A null delay idles for the maximum; with no maximum it ends the loop with an error. */
    @Test
    void dynamicNullDelayUsesMaxOrFails() throws Exception {
        VirtualHubs.run(() -> {
            List<Double> runs = new ArrayList<>();
            DynamicLoopingCall call = new DynamicLoopingCall(() -> {
                runs.add(now());
                if (runs.size() == 3) {
                    throw new LoopingCallDone();
                }
                return null;
            });
            call.start(0, 60, true);
            assertEquals(Boolean.TRUE, call.await());
            assertEquals(List.of(0.0, 60.0, 120.0), runs);

            try (LogCapture log = new LogCapture(DynamicLoopingCall.class)) {
                DynamicLoopingCall noMax = new DynamicLoopingCall(() -> null);
                noMax.start(0, Double.POSITIVE_INFINITY, true);
                assertThrows(IllegalStateException.class, noMax::await);
                assertEquals(1, log.lines().size());
            }
            return null;
        });
    }

    /** A negative delay returned by the task ends the loop with an IllegalArgumentException. */
    @Test
    void dynamicNegativeDelayFails() throws Exception {
        VirtualHubs.run(() -> {
            try (LogCapture log = new LogCapture(DynamicLoopingCall.class)) {
                DynamicLoopingCall call = new DynamicLoopingCall(() -> -1.0);
                call.start(0, 10, false);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::await);
                assertTrue(e.getMessage().contains("delay returned by"), e.getMessage());
            }
            return null;
        });
    }

    /** stop() ends a dynamic call's long idle at once. */
    @Test
    void dynamicStopInterruptsTheSleep() throws Exception {
        VirtualHubs.run(() -> {
            List<Double> runs = new ArrayList<>();
            DynamicLoopingCall call = new DynamicLoopingCall(() -> {
                runs.add(now());
                return 86_400.0;
            });
            call.start(0, Double.POSITIVE_INFINITY, true);
            Eventlet.sleep(42);
            call.stop();
            assertEquals(Boolean.TRUE, call.await());
            assertEquals(42.0, now());
            assertEquals(List.of(0.0), runs);
            return null;
        });
    }

    /** Without stopOnException, a failed dynamic run counts as a zero delay (oslo): the next run follows at once. */
    @Test
    void dynamicFailureWithoutStopRunsAgainAtOnce() throws Exception {
        VirtualHubs.run(() -> {
            List<Double> runs = new ArrayList<>();
            Callable<Double> task = () -> {
                runs.add(now());
                switch (runs.size()) {
                    case 1 -> throw new IllegalStateException("transient");
                    case 2 -> {
                        return 10.0;
                    }
                    default -> throw new LoopingCallDone("ok");
                }
            };
            try (LogCapture log = new LogCapture(DynamicLoopingCall.class)) {
                DynamicLoopingCall call = new DynamicLoopingCall(task);
                call.start(0, 30, false);
                assertEquals("ok", call.await());
                assertEquals(List.of(0.0, 0.0, 10.0), runs);
                assertEquals(1, log.lines().size());
                assertTrue(log.lines().get(0).startsWith("ERROR Dynamic interval looping call"), log.lines().get(0));
            }
            return null;
        });
    }

    /** A zero-delay loop yields between runs, so other green threads keep running. */
    @Test
    void zeroDelayLoopYieldsToOthers() throws Exception {
        VirtualHubs.run(() -> {
            List<String> steps = new ArrayList<>();
            int[] n = {0};
            DynamicLoopingCall call = new DynamicLoopingCall(() -> {
                steps.add("loop " + ++n[0]);
                if (n[0] == 3) {
                    throw new LoopingCallDone();
                }
                return 0.0;
            });
            call.start(0, 10, true);
            Eventlet.spawn(() -> {
                steps.add("other 1");
                Eventlet.sleep(0);
                steps.add("other 2");
            });
            call.await();
            assertEquals(List.of("loop 1", "other 1", "loop 2", "other 2", "loop 3"), steps);
            assertFalse(steps.isEmpty());
            return null;
        });
    }
}

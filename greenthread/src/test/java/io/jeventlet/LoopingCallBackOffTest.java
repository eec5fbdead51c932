package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * BackOffLoopingCall (oslo.service's) on a virtual-clock hub. A jitter source
 * whose every Gaussian draw is its mean makes the back-off arithmetic exact.
 */
class LoopingCallBackOffTest {
    /** Every draw is exactly the mean, so each idle is the oslo formula with j = jitter. */
    private static final RandomGenerator MEAN = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public double nextGaussian(double mean, double stddev) {
            return mean;
        }
    };

    /** A task that records its run times and returns the scripted successes; past the script it ends the loop. */
    private static final class Script implements java.util.concurrent.Callable<Boolean> {
        final boolean[] outcomes;
        final List<Double> runs = new ArrayList<>();

        Script(boolean... outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        public Boolean call() {
            runs.add(Hub.get().clock());
            if (runs.size() > outcomes.length) {
                throw new LoopingCallDone("script done");
            }
            return outcomes[runs.size() - 1];
        }

        @Override
        public String toString() {
            return "script";
        }
    }

    /** Failures double the idle each time (2, 4, 8) and the loop ends with LoopingCallTimeOut past the timeout. */
    @Test
    void failuresBackOffExponentiallyUntilTimeout() throws Exception {
        VirtualHubs.run(() -> {
            Script task = new Script(false, false, false, false);
            BackOffLoopingCall call = new BackOffLoopingCall(task, MEAN);
            call.start(0, 1, 10, 300, 1.0, 0.001);
            BackOffLoopingCall.LoopingCallTimeOut e =
                    assertThrows(BackOffLoopingCall.LoopingCallTimeOut.class, call::await);
            assertEquals("Looping call timed out after 14.00 seconds", e.getMessage());
            assertEquals(List.of(0.0, 2.0, 6.0), task.runs);
            assertEquals(6.0, Hub.get().clock());
            return null;
        });
    }

    /** A success resets the back-off: the next idle is the starting interval, the next failure starts over at 2. */
    @Test
    void successResetsTheBackOff() throws Exception {
        VirtualHubs.run(() -> {
            Script task = new Script(false, false, true, false);
            BackOffLoopingCall call = new BackOffLoopingCall(task, MEAN);
            call.start(0, 1, 10, 300, 1.0, 0.001);
            assertEquals("script done", call.await());
            assertEquals(List.of(0.0, 2.0, 6.0, 7.0, 9.0), task.runs);
            return null;
        });
    }

    /** Back-off idles never exceed maxInterval nor go below minInterval. */
    @Test
    void idlesAreClampedBetweenMinAndMax() throws Exception {
        VirtualHubs.run(() -> {
            Script capped = new Script(false, false, false, false);
            new BackOffLoopingCall(capped, MEAN).start(0, 1, Double.POSITIVE_INFINITY, 5, 1.0, 0.001).await();
            assertEquals(List.of(0.0, 2.0, 6.0, 11.0, 16.0), capped.runs);

            Script floored = new Script(false, false);
            double t0 = Hub.get().clock();
            new BackOffLoopingCall(floored, MEAN).start(0, 0, Double.POSITIVE_INFINITY, 300, 0.0, 3).await();
            assertEquals(List.of(t0, t0 + 3, t0 + 6), floored.runs);
            return null;
        });
    }

    /** With the same seed, the jittered schedule is the same on every run. */
    @Test
    void seededJitterIsRepeatable() throws Exception {
        List<Double> first = VirtualHubs.run(() -> jitteredRuns(7));
        List<Double> second = VirtualHubs.run(() -> jitteredRuns(7));
        assertEquals(first, second);
        assertEquals(6, first.size());
        for (int i = 1; i < first.size(); i++) {
            assertTrue(first.get(i) > first.get(i - 1), "runs strictly later: " + first);
        }
    }

    private static List<Double> jitteredRuns(long seed) {
        Script task = new Script(false, false, true, false, false);
        new BackOffLoopingCall(task, new Random(seed)).start(1, 1, Double.POSITIVE_INFINITY, 300, 0.75, 0.001).await();
        return task.runs;
    }

    /** stop() ends a back-off idle at once with result TRUE. */
    @Test
    void stopInterruptsTheBackOff() throws Exception {
        VirtualHubs.run(() -> {
            Script task = new Script(false, false, false);
            BackOffLoopingCall call = new BackOffLoopingCall(task, MEAN);
            call.start(0, 100, Double.POSITIVE_INFINITY, 1000, 1.0, 0.001);
            Eventlet.sleep(3);
            call.stop();
            assertEquals(Boolean.TRUE, call.await());
            assertEquals(3.0, Hub.get().clock());
            assertEquals(List.of(0.0), task.runs);
            return null;
        });
    }

    /** A task exception always ends a back-off loop and is rethrown from await. */
    @Test
    void taskExceptionEndsTheLoop() throws Exception {
        VirtualHubs.run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            try (LogCapture log = new LogCapture(BackOffLoopingCall.class)) {
                BackOffLoopingCall call = new BackOffLoopingCall(() -> {
                    throw boom;
                });
                call.start();
                assertSame(boom, assertThrows(IllegalStateException.class, call::await));
                assertEquals(1, log.lines().size());
            }
            return null;
        });
    }

    /** Invalid arguments are IllegalArgumentExceptions naming them. */
    @Test
    void invalidArgumentsAreRejectedByName() throws Exception {
        VirtualHubs.run(() -> {
            BackOffLoopingCall call = new BackOffLoopingCall(() -> true, MEAN);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> call.start(0, 1, 10, 300, -0.5, 0.001)).getMessage().contains("jitter"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> call.start(0, 1, Double.NaN, 300, 0.75, 0.001)).getMessage().contains("timeoutSeconds"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> call.start(0, -1, 10, 300, 0.75, 0.001)).getMessage().contains("startingIntervalSeconds"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> call.start(0, 1, 10, -3, 0.75, 0.001)).getMessage().contains("maxIntervalSeconds"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> call.start(0, 1, 10, 300, 0.75, -1)).getMessage().contains("minIntervalSeconds"));
            return null;
        });
    }
}

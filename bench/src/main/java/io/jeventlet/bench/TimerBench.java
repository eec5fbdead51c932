package io.jeventlet.bench;

import io.jeventlet.Eventlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Timer;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of scheduling a hub timer and cancelling it before it fires, in
 * nanoseconds per schedule+cancel pair (the {@code timer_ops} workload of the
 * peer scripts). Each invocation schedules {@value #BATCH} timers with
 * {@code Hub.scheduleCallGlobal} at seeded random delays of 1 to 10 s, yields
 * once with {@code Eventlet.sleep(0)}, then cancels them all.
 *
 * <p>JDK peer ({@code jdkSchedule}): the same pattern on a one-thread
 * {@link ScheduledThreadPoolExecutor} with remove-on-cancel, the JDK's
 * general-purpose timer (thread-safe, so it pays for a lock per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerBench {
    /** Timers per invocation. */
    public static final int BATCH = 1000;

    private static final Runnable NOOP = () -> { };

    private final double[] delays = new double[BATCH];
    private final long[] delayNanos = new long[BATCH];
    private final Timer[] timers = new Timer[BATCH];
    private final ScheduledFuture<?>[] futures = new ScheduledFuture<?>[BATCH];
    private ScheduledThreadPoolExecutor executor;

    @Setup
    public void setUp() {
        Random rnd = new Random(7);
        for (int i = 0; i < BATCH; i++) {
            delays[i] = 1.0 + rnd.nextDouble() * 9.0;
            delayNanos[i] = (long) (delays[i] * 1e9);
        }
        executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
    }

    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void schedule() {
        Hub hub = Hub.get();
        for (int i = 0; i < BATCH; i++) {
            timers[i] = hub.scheduleCallGlobal(delays[i], NOOP);
        }
        Eventlet.sleep(0);
        for (int i = 0; i < BATCH; i++) {
            timers[i].cancel();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdkSchedule() {
        for (int i = 0; i < BATCH; i++) {
            futures[i] = executor.schedule(NOOP, delayNanos[i], TimeUnit.NANOSECONDS);
        }
        for (int i = 0; i < BATCH; i++) {
            futures[i].cancel(false);
        }
    }
}

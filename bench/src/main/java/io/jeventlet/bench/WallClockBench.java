package io.jeventlet.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wall-clock workloads as JMH single-shot benchmarks, for use with JMH's
 * own tooling (profilers, {@code -prof gc}): each invocation is one whole run
 * of {@link SleepTimers}, {@link PoolThroughput}, {@link QueueThroughput} or
 * {@link EventFanout}, in milliseconds, jeventlet and JDK peer. The
 * comparison runner measures the same code through {@link WallClock} instead,
 * which also reports the workloads' own units (items/s, B/thread).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.trackAllThreads=false", "-Xms2g", "-Xmx2g"})
public class WallClockBench {
    @Benchmark
    public double sleepTimers() {
        return SleepTimers.jeventletMs(SleepTimers.THREADS);
    }

    @Benchmark
    public double jdkSleepTimers() throws InterruptedException {
        return SleepTimers.jdkMs(SleepTimers.THREADS);
    }

    @Benchmark
    public double pool() {
        return PoolThroughput.jeventletPerSec(PoolThroughput.TASKS);
    }

    @Benchmark
    public double jdkPool() throws InterruptedException {
        return PoolThroughput.jdkPerSec(PoolThroughput.TASKS);
    }

    @Benchmark
    public double queue() {
        return QueueThroughput.jeventletPerSec(QueueThroughput.ITEMS);
    }

    @Benchmark
    public double jdkQueue() throws InterruptedException {
        return QueueThroughput.jdkPerSec(QueueThroughput.ITEMS);
    }

    @Benchmark
    public double fanout() {
        return EventFanout.jeventletMs(EventFanout.WAITERS);
    }

    @Benchmark
    public double jdkFanout() throws InterruptedException {
        return EventFanout.jdkMs(EventFanout.WAITERS);
    }
}

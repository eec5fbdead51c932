package io.jeventlet.bench;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of starting a green thread and running it to completion, in
 * nanoseconds per thread (the {@code spawn_run} workload of the peer
 * scripts). Each invocation starts {@value #BATCH} threads whose body is
 * {@code i + 1}.
 *
 * <ul>
 * <li>{@code spawnThenAwait}: spawn the whole batch, then {@code await()}
 * each (eventlet's {@code spawn_run}).
 * <li>{@code spawnAwaitEach}: {@code Eventlet.spawn(fn).await()} per thread,
 * so every thread costs a round trip through the hub loop.
 * <li>{@code spawnN}: fire-and-forget {@code spawnN}, the last one to run
 * sends an {@link Event} the caller waits on (eventlet's {@code spawn_run_n}).
 * <li>JDK peers on the default virtual-thread scheduler:
 * {@code jdkStartThenJoin} (start the batch, then join each) and
 * {@code jdkStartJoinEach} ({@code Thread.ofVirtual().start(r).join()} per
 * thread).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpawnBench {
    /** Threads started per invocation. */
    public static final int BATCH = 10_000;

    private final GreenThread<?>[] greens = new GreenThread<?>[BATCH];
    private final Thread[] threads = new Thread[BATCH];
    private int count;
    private Event<Object> done;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long spawnThenAwait() {
        for (int i = 0; i < BATCH; i++) {
            int n = i;
            greens[i] = Eventlet.spawn(() -> n + 1);
        }
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += (Integer) greens[i].await();
            greens[i] = null;
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long spawnAwaitEach() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            int n = i;
            sum += Eventlet.spawn(() -> n + 1).await();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int spawnN() {
        count = 0;
        done = new Event<>();
        for (int i = 0; i < BATCH; i++) {
            Eventlet.spawnN(this::countOne);
        }
        done.await();
        return count;
    }

    private void countOne() {
        if (++count == BATCH) {
            done.send(null);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jdkStartThenJoin() throws InterruptedException {
        long[] sums = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            int n = i;
            threads[i] = Thread.ofVirtual().start(() -> sums[n] = n + 1);
        }
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            threads[i].join();
            threads[i] = null;
            sum += sums[i];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jdkStartJoinEach() throws InterruptedException {
        long[] box = new long[1];
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            int n = i;
            Thread.ofVirtual().start(() -> box[0] = n + 1).join();
            sum += box[0];
        }
        return sum;
    }
}

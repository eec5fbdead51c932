package io.jeventlet.bench;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.LightQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Cost of one context switch between two green threads of one hub, in
 * nanoseconds per switch (the {@code switch} workload of the eventlet and
 * gevent peer scripts): each invocation makes {@value #SWITCHES} hand-offs
 * between two green threads and is divided by that count.
 *
 * <ul>
 * <li>{@code sleep0}: both call {@code Eventlet.sleep(0)} in a loop; each
 * call hands control to the other through the hub (eventlet's
 * {@code switch_sleep0}).
 * <li>{@code event}: ping-pong over two {@link Event}s with send / await /
 * reset ({@code switch_event}).
 * <li>{@code queue}: ping-pong over two unbounded {@link LightQueue}s
 * ({@code switch_queue}).
 * <li>{@code jdkHandoff}, the JDK peer: two plain virtual threads on one
 * single-thread carrier ({@link SingleCarrier}) handing a baton back and forth
 * with {@code LockSupport.park/unpark} — the floor for a hub's switch.
 * </ul>
 * The JMH worker thread is the main greenlet: it spawns the pair and its
 * {@code await()} runs the hub until both are done.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SwitchBench {
    /** Hand-offs per invocation. */
    public static final int SWITCHES = 100_000;

    private SingleCarrier carrier;
    private volatile int turn;

    @Setup
    public void setUp() {
        carrier = new SingleCarrier();
    }

    @TearDown
    public void tearDown() {
        carrier.close();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void sleep0() {
        Runnable worker = () -> {
            for (int i = 0; i < SWITCHES / 2; i++) {
                Eventlet.sleep(0);
            }
        };
        GreenThread<Void> a = Eventlet.spawn(worker);
        GreenThread<Void> b = Eventlet.spawn(worker);
        a.await();
        b.await();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void event() {
        Event<Object> e1 = new Event<>();
        Event<Object> e2 = new Event<>();
        GreenThread<Void> a = Eventlet.spawn(() -> {
            for (int i = 0; i < SWITCHES / 2; i++) {
                e1.send(null);
                e2.await();
                e2.reset();
            }
        });
        GreenThread<Void> b = Eventlet.spawn(() -> {
            for (int i = 0; i < SWITCHES / 2; i++) {
                e1.await();
                e1.reset();
                e2.send(null);
            }
        });
        a.await();
        b.await();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void queue() {
        LightQueue<Integer> q1 = new LightQueue<>();
        LightQueue<Integer> q2 = new LightQueue<>();
        GreenThread<Void> a = Eventlet.spawn(() -> {
            for (int i = 0; i < SWITCHES / 2; i++) {
                q1.put(i);
                q2.get();
            }
        });
        GreenThread<Void> b = Eventlet.spawn(() -> {
            for (int i = 0; i < SWITCHES / 2; i++) {
                q2.put(q1.get());
            }
        });
        a.await();
        b.await();
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void jdkHandoff() throws InterruptedException {
        turn = 0;
        Thread[] pair = new Thread[2];
        pair[0] = carrier.unstarted(() -> baton(0, pair[1]));
        pair[1] = carrier.unstarted(() -> baton(1, pair[0]));
        pair[0].start();
        pair[1].start();
        pair[0].join();
        pair[1].join();
    }

    /** Waits for the baton {@code SWITCHES / 2} times and passes it to {@code other}. */
    private void baton(int me, Thread other) {
        for (int i = 0; i < SWITCHES / 2; i++) {
            while (turn != me) {
                LockSupport.park();
            }
            turn = 1 - me;
            LockSupport.unpark(other);
        }
    }
}

package io.jeventlet.bench;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.hubs.Hub;
import io.jeventlet.service.HubMonitor;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What hub metrics cost a switch: {@link SwitchBench}'s {@code sleep0} and
 * {@code event} workloads on a hub that is, with {@code metrics=on}, bound
 * to Micrometer by the service layer's {@link HubMonitor} (gauges, the
 * blocked counter, and the lag probes it posts to the hub every second) with
 * a registry behind the global one, as a daemon with {@code /metrics} runs;
 * with {@code metrics=off}, not. The two rows of one run are the ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SwitchMetricsBench {
    @Param({"off", "on"})
    public String metrics;

    private Hub hub;
    private SimpleMeterRegistry registry;

    @Setup
    public void setUp() {
        if (metrics.equals("on")) {
            hub = Hub.get();
            registry = new SimpleMeterRegistry();
            Metrics.addRegistry(registry);
            HubMonitor.global().attach(hub, "bench");
        }
    }

    @TearDown
    public void tearDown() {
        if (hub != null) {
            HubMonitor.global().detach(hub);
            Metrics.removeRegistry(registry);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SwitchBench.SWITCHES)
    public void sleep0() {
        Runnable worker = () -> {
            for (int i = 0; i < SwitchBench.SWITCHES / 2; i++) {
                Eventlet.sleep(0);
            }
        };
        GreenThread<Void> a = Eventlet.spawn(worker);
        GreenThread<Void> b = Eventlet.spawn(worker);
        a.await();
        b.await();
    }

    @Benchmark
    @OperationsPerInvocation(SwitchBench.SWITCHES)
    public void event() {
        Event<Object> e1 = new Event<>();
        Event<Object> e2 = new Event<>();
        GreenThread<Void> a = Eventlet.spawn(() -> {
            for (int i = 0; i < SwitchBench.SWITCHES / 2; i++) {
                e1.send(null);
                e2.await();
                e2.reset();
            }
        });
        GreenThread<Void> b = Eventlet.spawn(() -> {
            for (int i = 0; i < SwitchBench.SWITCHES / 2; i++) {
                e1.await();
                e1.reset();
                e2.send(null);
            }
        });
        a.await();
        b.await();
    }
}

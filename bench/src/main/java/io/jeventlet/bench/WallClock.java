package io.jeventlet.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wall-clock workloads, jeventlet and its JDK peer side by side, in the
 * shape of the eventlet and gevent peer scripts: it prints one
 * {@code name value unit} line per measured repetition, JDK peer lines
 * prefixed {@code jdk_} ({@code jdk1_} for the one-carrier peer). Workloads: {@code sleep_timers}
 * ({@link SleepTimers}), {@code memory} ({@link IdleMemory}), {@code sleepers}
 * (the million-sleeper scale check), {@code pool_throughput}
 * ({@link PoolThroughput}), {@code queue_throughput} ({@link QueueThroughput}),
 * {@code event_fanout} ({@link EventFanout}), {@code service_workers}
 * ({@link ServiceWorkers}), or {@code all}.
 *
 * <p>Usage: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false
 * -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks.jar
 * io.jeventlet.bench.WallClock WORKLOAD [--reps R] [--warmup W] [--scale F]};
 * {@code --scale} multiplies every thread and item count (for smoke runs).
 * The calling thread is the main greenlet of the hub the green threads run on.
 */
public final class WallClock {
    /** One workload: prints its lines for one repetition. */
    @FunctionalInterface
    interface Workload {
        void run(double scale, PrintStream out) throws Exception;
    }

    static final Map<String, Workload> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("sleep_timers", (s, out) -> {
            int n = scaled(SleepTimers.THREADS, s);
            line(out, "sleep_timers_wall", SleepTimers.jeventletMs(n), "ms");
            line(out, "jdk_sleep_timers_wall", SleepTimers.jdkMs(n), "ms");
            line(out, "jdk1_sleep_timers_wall", SleepTimers.jdkSingleCarrierMs(n), "ms");
        });
        WORKLOADS.put("memory", (s, out) -> {
            int n = scaled(IdleMemory.THREADS, s);
            line(out, "memory_heap_per_thread", IdleMemory.jeventletBytes(n), "B/thread");
            line(out, "jdk_memory_heap_per_thread", IdleMemory.jdkBytes(n), "B/thread");
        });
        WORKLOADS.put("sleepers", (s, out) -> {
            IdleMemory.Sleepers r = IdleMemory.millionSleepers(scaled(IdleMemory.SLEEPERS, s));
            line(out, "sleepers_threads", r.threads(), "threads");
            line(out, "sleepers_heap_per_thread", r.heapBytesPerThread(), "B/thread");
            line(out, "sleepers_used_heap", r.usedHeapMiB(), "MiB");
            line(out, "sleepers_max_heap", r.maxHeapMiB(), "MiB");
            line(out, "sleepers_wall", r.wallMs(), "ms");
        });
        WORKLOADS.put("pool_throughput", (s, out) -> {
            int m = scaled(PoolThroughput.TASKS, s);
            line(out, "pool_throughput", PoolThroughput.jeventletPerSec(m), "tasks/s");
            line(out, "jdk_pool_throughput", PoolThroughput.jdkPerSec(m), "tasks/s");
        });
        WORKLOADS.put("queue_throughput", (s, out) -> {
            int m = scaled(QueueThroughput.ITEMS, s);
            line(out, "queue_throughput", QueueThroughput.jeventletPerSec(m), "items/s");
            line(out, "jdk_queue_throughput", QueueThroughput.jdkPerSec(m), "items/s");
        });
        WORKLOADS.put("service_workers", (s, out) -> {
            ServiceWorkers.Best b = ServiceWorkers.bestOf(ServiceWorkers.ROUNDS, s);
            double speedup = b.one().wallMs() / b.two().wallMs();
            double jdkSpeedup = b.jdkOne().wallMs() / b.jdkTwo().wallMs();
            line(out, "service_1_worker", b.one().wallMs(), "ms");
            line(out, "service_2_workers", b.two().wallMs(), "ms");
            line(out, "service_speedup", speedup, "x");
            line(out, "service_cpu_2_vs_1", b.two().cpuMs() / b.one().cpuMs(), "x");
            line(out, "jdk_platform_1_thread", b.jdkOne().wallMs(), "ms");
            line(out, "jdk_platform_2_threads", b.jdkTwo().wallMs(), "ms");
            line(out, "jdk_platform_speedup", jdkSpeedup, "x");
            line(out, "jdk_platform_cpu_2_vs_1", b.jdkTwo().cpuMs() / b.jdkOne().cpuMs(), "x");
            line(out, "service_speedup_vs_platform", speedup / jdkSpeedup, "x");
            line(out, "service_cpus_2", b.two().cpuMs() / b.two().wallMs(), "CPUs");
            line(out, "jdk_platform_cpus_2", b.jdkTwo().cpuMs() / b.jdkTwo().wallMs(), "CPUs");
        });
        WORKLOADS.put("event_fanout", (s, out) -> {
            int n = scaled(EventFanout.WAITERS, s);
            line(out, "event_fanout", EventFanout.jeventletMs(n), "ms");
            line(out, "jdk_event_fanout", EventFanout.jdkMs(n), "ms");
        });
    }

    private WallClock() {}

    static int scaled(int n, double scale) {
        return Math.max(1, (int) Math.round(n * scale));
    }

    static void line(PrintStream out, String name, double value, String unit) {
        out.println(String.format(Locale.ROOT, "%s %.6g %s", name, value, unit));
        out.flush();
    }

    /**
     * Runs {@code args[0]} (a workload name or {@code all}) {@code --warmup}
     * times silently, then {@code --reps} times printing its lines.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: WallClock WORKLOAD|all [--reps R] [--warmup W] [--scale F]; workloads: "
                    + String.join(" ", WORKLOADS.keySet()));
            System.exit(2);
        }
        List<String> a = List.of(args);
        int reps = intOption(a, "--reps", 1);
        int warmup = intOption(a, "--warmup", 0);
        double scale = a.contains("--scale") ? Double.parseDouble(a.get(a.indexOf("--scale") + 1)) : 1.0;
        List<String> names = args[0].equals("all") ? List.copyOf(WORKLOADS.keySet()) : List.of(args[0]);
        for (String name : names) {
            if (!WORKLOADS.containsKey(name)) {
                System.err.println("unknown workload '" + name + "'; expected one of " + WORKLOADS.keySet());
                System.exit(2);
            }
        }
        System.out.println("# jeventlet java=" + Runtime.version() + " cpus=" + Runtime.getRuntime().availableProcessors()
                + " maxheap=" + Runtime.getRuntime().maxMemory() / 1048576 + "MiB");
        PrintStream silent = new PrintStream(PrintStream.nullOutputStream());
        for (String name : names) {
            Workload w = WORKLOADS.get(name);
            for (int i = 0; i < warmup; i++) {
                w.run(scale, silent);
            }
            for (int i = 0; i < reps; i++) {
                w.run(scale, System.out);
            }
        }
        System.exit(0);
    }

    private static int intOption(List<String> a, String name, int dflt) {
        int i = a.indexOf(name);
        return i < 0 ? dflt : Integer.parseInt(a.get(i + 1));
    }
}

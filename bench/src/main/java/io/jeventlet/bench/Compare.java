package io.jeventlet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The side-by-side comparison: runs every workload on jeventlet, on its plain
 * JDK peer, and on eventlet and gevent (the scripts in {@code shared/bench},
 * under Debian's system Python), all in one run on one machine, and prints
 * one Markdown table of medians with the ratio against eventlet and whether
 * each target of the project is met.
 *
 * <p>Where the numbers come from: the micro workloads (switch, spawn+run,
 * timer_ops) are JMH benchmarks ({@link SwitchBench}, {@link SpawnBench},
 * {@link TimerBench}) run through JMH's Runner API in a forked JVM, and the
 * median of their measurement iterations is used; the wall-clock workloads
 * ({@link WallClock}) run in a child JVM capped at 2 GiB of heap, with warm-up
 * repetitions and the median of the measured ones; the Python peers print one
 * line per repetition and their median is used. Progress goes to stderr, one
 * line as each workload starts and finishes; the table goes to stdout (and to
 * {@code --out}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compares jeventlet with plain JDK virtual threads, eventlet and gevent; prints a Markdown table.")
public final class Compare implements Callable<Integer> {
    static final String OPENS = "--add-opens";
    static final String OPENS_VALUE = "java.base/java.lang=ALL-UNNAMED";
    /**
     * The flag the project's launchers pass: the JDK stops keeping every virtual
     * thread in a JVM-wide set for jcmd thread dumps. It applies to the JDK
     * peers in the same forks too, so the comparison stays like for like.
     */
    static final String UNTRACKED = "-Djdk.trackAllThreads=false";
    /** The fewest warm-up repetitions of a JVM wall-clock workload (see {@link #javaWarmup()}). */
    static final int JVM_WARMUP_MIN = 3;
    /** JMH 1.37 reads fields through sun.misc.Unsafe; this keeps JDK 25 from warning about it in every fork. */
    static final String UNSAFE_OK = "--sun-misc-unsafe-memory-access=allow";

    @Option(names = "--quick", description = "Smoke run: short JMH iterations, one repetition, no warm-up.")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "WORKLOAD", converter = WorkloadConverter.class,
            description = "Run only these workloads (repeatable or comma-separated): ${COMPLETION-CANDIDATES}.")
    List<Workload> only = new ArrayList<>();

    @Option(names = "--peers", paramLabel = "DIR",
            description = "Directory of bench_eventlet.py and bench_gevent.py (default: ../shared/bench from the project root).")
    Path peers;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
            description = "Python interpreter with eventlet and gevent (default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--no-python", description = "Do not run the eventlet and gevent peers.")
    boolean noPython;

    @Option(names = "--reps", defaultValue = "5", description = "Measured repetitions of the wall-clock and Python workloads (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up repetitions before them (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table (with the machine line) to FILE.")
    Path out;

    /** The workloads, under the peer scripts' names. */
    enum Workload {
        spawn_run("SpawnBench\\.(spawnThenAwait|spawnAwaitEach|spawnN|jdkStartThenJoin|jdkStartJoinEach)$", List.of()),
        switch_("SwitchBench\\.(sleep0|event|queue|jdkHandoff)$", List.of()),
        sleep_timers(null, List.of("sleep_timers")),
        timer_ops("TimerBench\\.(schedule|jdkSchedule)$", List.of()),
        pool_throughput(null, List.of("pool_throughput")),
        queue_throughput(null, List.of("queue_throughput")),
        event_fanout(null, List.of("event_fanout")),
        memory(null, List.of("memory", "sleepers")),
        service_workers(null, List.of("service_workers"));

        final String jmh;
        final List<String> wall;

        Workload(String jmh, List<String> wall) {
            this.jmh = jmh;
            this.wall = wall;
        }

        /** The name the peer scripts and the command line use. */
        String key() {
            return this == switch_ ? "switch" : name();
        }

        @Override
        public String toString() {
            return key();
        }
    }

    /** Reads a workload by its peer-script name ({@code switch}, not the Java constant). */
    static final class WorkloadConverter implements CommandLine.ITypeConverter<Workload> {
        @Override
        public Workload convert(String value) {
            for (Workload w : Workload.values()) {
                if (w.key().equalsIgnoreCase(value)) {
                    return w;
                }
            }
            throw new CommandLine.TypeConversionException("unknown workload '" + value + "'; expected one of "
                    + Arrays.toString(Workload.values()));
        }
    }

    /** Judges a row from its medians (any may be null); null when it cannot tell. */
    @FunctionalInterface
    interface Check {
        Boolean met(Double jeventlet, Double jdk, Double eventlet);
    }

    /**
     * One table row: where each column's median comes from ({@code jmh:},
     * {@code java:}, or a Python metric name looked up under
     * {@code eventlet:} and {@code gevent:}), its unit, and its target.
     */
    record Row(Workload workload, String label, String jeventlet, String jdk, String py, double pyScale,
            String unit, boolean lowerIsBetter, String target, Check check) { }

    static final List<Row> ROWS = List.of(
            new Row(Workload.switch_, "switch, sleep(0) ping-pong", "jmh:SwitchBench.sleep0", "jmh:SwitchBench.jdkHandoff",
                    "switch_sleep0", 1, "ns/switch", true, ">= 15x eventlet, <= 1.3x JDK",
                    (j, k, e) -> both(ratio(e, j, 15), ratio(k * 1.3, j, 1))),
            new Row(Workload.switch_, "switch, Event ping-pong", "jmh:SwitchBench.event", "jmh:SwitchBench.jdkHandoff",
                    "switch_event", 1, "ns/switch", true, ">= 15x eventlet, <= 1.3x JDK",
                    (j, k, e) -> both(ratio(e, j, 15), ratio(k * 1.3, j, 1))),
            new Row(Workload.switch_, "switch, queue ping-pong", "jmh:SwitchBench.queue", "jmh:SwitchBench.jdkHandoff",
                    "switch_queue", 1, "ns/switch", true, "-", null),
            new Row(Workload.spawn_run, "spawn+run (spawn all, await each)", "jmh:SpawnBench.spawnThenAwait",
                    "jmh:SpawnBench.jdkStartThenJoin", "spawn_run", 1, "ns/thread", true, ">= 50x eventlet",
                    (j, k, e) -> ratio(e, j, 50)),
            new Row(Workload.spawn_run, "spawn+run (spawnN, Event at the end)", "jmh:SpawnBench.spawnN", null,
                    "spawn_run_n", 1, "ns/thread", true, ">= 50x eventlet", (j, k, e) -> ratio(e, j, 50)),
            new Row(Workload.spawn_run, "spawn(fn).await() one at a time", "jmh:SpawnBench.spawnAwaitEach",
                    "jmh:SpawnBench.jdkStartJoinEach", null, 1, "ns/thread", true, "-", null),
            new Row(Workload.sleep_timers, "100,000 sleepers of 0-0.1 s, wall", "java:sleep_timers_wall",
                    "java:jdk_sleep_timers_wall", "sleep_timers_wall", 1, "ms", true, "<= 150 ms (1.5x ideal)",
                    (j, k, e) -> j == null ? null : j <= 150),
            new Row(Workload.sleep_timers, "100,000 sleepers, vs JDK on one carrier", "java:sleep_timers_wall",
                    "java:jdk1_sleep_timers_wall", null, 1, "ms", true, "-", null),
            new Row(Workload.timer_ops, "timer schedule+cancel", "jmh:TimerBench.schedule", "jmh:TimerBench.jdkSchedule",
                    "timer_ops", 1, "ns/op", true, ">= 20x eventlet", (j, k, e) -> ratio(e, j, 20)),
            new Row(Workload.memory, "memory per idle thread (100,000 on an Event)", "java:memory_heap_per_thread",
                    "java:jdk_memory_heap_per_thread", "memory_rss_per_thread", 1, "B", true, "<= 2 KB (heap)",
                    (j, k, e) -> j == null ? null : j <= 2048),
            new Row(Workload.memory, "1,000,000 sleepers, heap in use (-Xmx2g)", "java:sleepers_used_heap", null,
                    null, 1, "MiB", true, "all done within a 2 GiB heap",
                    (j, k, e) -> j == null ? null : j < 2048),
            new Row(Workload.pool_throughput, "GreenPool(1000), 1,000,000 tasks", "java:pool_throughput",
                    "java:jdk_pool_throughput", "pool_throughput", 1, "tasks/s", false, ">= 30x eventlet, >= 0.5x JDK",
                    (j, k, e) -> both(ratio(j, e, 30), ratio(j, k == null ? null : k / 2, 1))),
            new Row(Workload.queue_throughput, "Queue(1000), 1,000,000 items", "java:queue_throughput",
                    "java:jdk_queue_throughput", "queue_throughput", 1, "items/s", false, ">= 10x eventlet",
                    (j, k, e) -> ratio(j, e, 10)),
            new Row(Workload.event_fanout, "one Event wakes 10,000 waiters", "java:event_fanout", "java:jdk_event_fanout",
                    "event_fanout", 1e-3, "ms", true, ">= 10x eventlet", (j, k, e) -> ratio(e, j, 10)),
            new Row(Workload.service_workers, "CPU-bound service, 1 worker (1.2 M SHA-256)", "java:service_1_worker",
                    "java:jdk_platform_1_thread", null, 1, "ms", true, "-", null),
            new Row(Workload.service_workers, "CPU-bound service, 2 workers", "java:service_2_workers",
                    "java:jdk_platform_2_threads", null, 1, "ms", true, "-", null),
            new Row(Workload.service_workers, "speed-up of 2 workers (JDK peer: 2 platform threads)",
                    "java:service_speedup", "java:jdk_platform_speedup", null, 1, "x", false,
                    ">= 0.9x the platform threads' speed-up", (j, k, e) -> j >= 0.9 * k),
            new Row(Workload.service_workers, "CPU time of the 2-worker run / the 1-worker run", "java:service_cpu_2_vs_1",
                    "java:jdk_platform_cpu_2_vs_1", null, 1, "x", true, "-", null),
            // A speed-up needs the CPUs: on a machine shared with other sessions the kernel's
            // per-session fair share can hold a 2-thread run to about one CPU (bench/RESULTS.md).
            new Row(Workload.service_workers, "CPUs the 2-worker run obtained (CPU time / wall time)",
                    "java:service_cpus_2", "java:jdk_platform_cpus_2", null, 1, "CPUs", false, "-", null));

    private final Map<String, List<Double>> samples = new LinkedHashMap<>();
    private final Map<String, String> versions = new LinkedHashMap<>();

    /** Runs the comparison; see {@code --help}. */
    public static void main(String[] args) {
        int rc = new CommandLine(new Compare()).execute(args);
        System.exit(rc);
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            reps = 1;
            warmup = 0;
        }
        Path root = Path.of(System.getProperty("jeventlet.root", ".")).toAbsolutePath().normalize();
        Path peerDir = peers != null ? peers : root.resolve("../shared/bench").normalize();
        boolean eventlet = !noPython && pythonHas("eventlet", peerDir.resolve("bench_eventlet.py"));
        boolean gevent = !noPython && pythonHas("gevent", peerDir.resolve("bench_gevent.py"));
        List<Workload> selected = only.isEmpty() ? List.of(Workload.values()) : only;
        long start = System.nanoTime();
        int i = 0;
        for (Workload w : selected) {
            i++;
            long t0 = System.nanoTime();
            progress("[%d/%d] %s: starting", i, selected.size(), w);
            try {
                if (w.jmh != null) {
                    progress("      %s: jeventlet and JDK peer (JMH)", w);
                    runJmh(w.jmh);
                }
                for (String wall : w.wall) {
                    progress("      %s: jeventlet and JDK peer (wall clock: %s)", w, wall);
                    boolean once = wall.equals("sleepers");
                    runJava(wall, once ? 1 : reps, once ? 0 : javaWarmup());
                }
                if (eventlet) {
                    progress("      %s: eventlet", w);
                    runPython("eventlet", peerDir.resolve("bench_eventlet.py"), w.key());
                }
                if (gevent) {
                    progress("      %s: gevent", w);
                    runPython("gevent", peerDir.resolve("bench_gevent.py"), w.key());
                }
                progress("[%d/%d] %s: done in %.0f s", i, selected.size(), w, (System.nanoTime() - t0) / 1e9);
            } catch (Exception e) {
                progress("[%d/%d] %s: FAILED after %.0f s: %s", i, selected.size(), w,
                        (System.nanoTime() - t0) / 1e9, e);
            }
        }
        progress("all done in %.0f s", (System.nanoTime() - start) / 1e9);
        String table = machine() + "\n\n" + table(selected);
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table + "\n");
        }
        return 0;
    }

    // ---- running ---------------------------------------------------------------------------------

    private void runJmh(String regex) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(regex)
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .jvmArgsAppend(OPENS, OPENS_VALUE, UNTRACKED, UNSAFE_OK)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        Collection<RunResult> results = new Runner(b.build()).run();
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) {
                    scores.add(ir.getPrimaryResult().getScore());
                }
            }
            samples.put("jmh:" + name, scores);
            progress("        %-28s %s", name, fmt(median(scores), rr.getPrimaryResult().getScoreUnit()));
        }
    }

    /**
     * Warm-up repetitions of a JVM wall-clock workload: at least
     * {@value #JVM_WARMUP_MIN}, since one 100,000-thread repetition is not
     * enough for the JIT to finish compiling both sides (the second
     * repetition still ran up to 2x slow). CPython has no JIT to warm.
     */
    private int javaWarmup() {
        return quick ? 0 : Math.max(warmup, JVM_WARMUP_MIN);
    }

    private void runJava(String workload, int r, int w) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // A fixed heap, touched once at start: otherwise a repetition that first
        // writes to a fresh part of the heap pays the kernel's page faults
        // (measured: up to 150 ms in a 200 ms run), which says nothing about
        // the runtime under test. Both sides of every workload share the JVM.
        List<String> cmd = List.of(java.toString(), OPENS, OPENS_VALUE, UNTRACKED, "-Xms2g", "-Xmx2g",
                "-XX:+AlwaysPreTouch", "-cp",
                System.getProperty("java.class.path"), WallClock.class.getName(), workload,
                "--reps", Integer.toString(r), "--warmup", Integer.toString(w));
        collect("java", run(cmd, Duration.ofMinutes(15)));
    }

    private void runPython(String peer, Path script, String workload) throws IOException, InterruptedException {
        List<String> cmd = List.of(python.toString(), script.toString(), workload,
                "--warmup", Integer.toString(warmup), "--reps", Integer.toString(reps));
        collect(peer, run(cmd, Duration.ofMinutes(20)));
    }

    private boolean pythonHas(String module, Path script) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            progress("skipping %s: no peer script at %s (use --peers DIR)", module, script);
            return false;
        }
        if (!Files.isExecutable(python)) {
            progress("skipping %s: no Python interpreter at %s", module, python);
            return false;
        }
        Process p = new ProcessBuilder(python.toString(), "-c", "import " + module)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            progress("skipping %s: %s cannot import it (apt-get install -y python3-%s)", module, python, module);
            return false;
        }
        return true;
    }

    /** Runs {@code cmd}, stderr passed through, and returns its stdout lines; fails on a non-zero exit. */
    private static List<String> run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process died; its exit status says so
            }
        });
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeout.toMinutes() + " min: " + String.join(" ", cmd));
        }
        reader.join();
        if (p.exitValue() != 0) {
            throw new IOException("exit status " + p.exitValue() + ": " + String.join(" ", cmd));
        }
        return lines;
    }

    /** Files {@code name value unit} lines under {@code source:name}; keeps {@code #} header lines as versions. */
    private void collect(String source, List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("#")) {
                versions.put(source, line.substring(1).trim());
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            try {
                double v = Double.parseDouble(f[1]);
                samples.computeIfAbsent(source + ":" + f[0], k -> new ArrayList<>()).add(v);
                progress("        %-28s %s", source + ":" + f[0], fmt(v, f[2]));
            } catch (NumberFormatException e) {
                // not a measurement line
            }
        }
    }

    private static void progress(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
        System.err.flush();
    }

    // ---- the table ------------------------------------------------------------------------------

    private Double value(String key, double scale) {
        List<Double> s = samples.get(key);
        return s == null || s.isEmpty() ? null : median(s) * scale;
    }

    String table(List<Workload> selected) {
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | jeventlet | JDK peer | eventlet | gevent | ratio vs eventlet | target | met? |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---|---|\n");
        for (Row r : ROWS) {
            if (!selected.contains(r.workload())) {
                continue;
            }
            Double j = r.jeventlet() == null ? null : value(r.jeventlet(), 1);
            Double k = r.jdk() == null ? null : value(r.jdk(), 1);
            Double e = r.py() == null ? null : value("eventlet:" + r.py(), r.pyScale());
            Double g = r.py() == null ? null : value("gevent:" + r.py(), r.pyScale());
            Double ratio = j == null || e == null ? null : r.lowerIsBetter() ? e / j : j / e;
            Boolean met = r.check() == null ? null : safe(r.check(), j, k, e);
            sb.append("| ").append(r.label())
                    .append(" | ").append(fmt(j, r.unit()))
                    .append(" | ").append(fmt(k, r.unit()))
                    .append(" | ").append(fmt(e, r.unit()))
                    .append(" | ").append(fmt(g, r.unit()))
                    .append(" | ").append(ratio == null ? "-" : String.format(Locale.ROOT, "%.1fx", ratio))
                    .append(" | ").append(r.target())
                    .append(" | ").append(r.check() == null ? "-" : met == null ? "n/a" : met ? "yes" : "**no**")
                    .append(" |\n");
        }
        return sb.toString().strip();
    }

    private static Boolean safe(Check c, Double j, Double k, Double e) {
        try {
            return c.met(j, k, e);
        } catch (NullPointerException npe) {
            return null;
        }
    }

    String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Machine: %d CPUs (%s), %s %s; JDK %s (%s)%s.",
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("os.name"),
                System.getProperty("os.version"), Runtime.version(), System.getProperty("java.vm.name"),
                quick ? "; QUICK smoke run (short iterations, not for quoting)" : ""));
        for (Map.Entry<String, String> v : versions.entrySet()) {
            if (!v.getKey().equals("java")) {
                sb.append("\nPeer: ").append(v.getValue());
            }
        }
        sb.append(String.format(Locale.ROOT, "%nMedians: JMH %s; wall-clock and Python workloads %d measured after %d"
                + " (JVM) and %d (Python) warm-up repetition(s); wall-clock JVMs run with a fixed, pre-touched 2 GiB heap.",
                quick ? "1 fork, 1x0.3 s warm-up, 2x0.3 s measured" : "1 fork, 3x1 s warm-up, 5x1 s measured",
                reps, javaWarmup(), warmup));
        return sb.toString();
    }

    // ---- arithmetic and formatting ---------------------------------------------------------------

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    /** True if {@code better / worse >= factor}; null if either is unknown. */
    static Boolean ratio(Double better, Double worse, double factor) {
        if (better == null || worse == null) {
            return null;
        }
        return better / worse >= factor;
    }

    /** Both parts met; null if one is unknown and the other not failed. */
    static Boolean both(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a == null || b == null ? null : true;
    }

    static String fmt(Double v, String unit) {
        if (v == null) {
            return "-";
        }
        double x = v;
        String prefix = "";
        if (unit.endsWith("/s") && x >= 1e6) {
            x /= 1e6;
            prefix = "M ";
        } else if (unit.endsWith("/s") && x >= 1e3) {
            x /= 1e3;
            prefix = "k ";
        }
        String num = Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%.0f", x)
                : Math.abs(x) >= 10 ? String.format(Locale.ROOT, "%.1f", x)
                : String.format(Locale.ROOT, "%.2f", x);
        return num + " " + (prefix.isEmpty() ? unit : prefix.trim() + " " + unit);
    }
}

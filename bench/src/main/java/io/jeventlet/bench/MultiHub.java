package io.jeventlet.bench;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.hubs.CarrierThreads;
import io.jeventlet.hubs.Hub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Thread rule: a single-threaded driver; each lane's work runs on that lane's own threads.
 *
 * <p>Hubs across cores: the same work on 1, 2 and N lanes at once, where a lane
 * is one hub on its own OS thread, beside the JDK's virtual threads on the
 * default scheduler and plain platform threads doing the same work. Every
 * lane gets the same work (weak scaling), so with L lanes on L free cores the
 * wall time stays that of one lane and the speed-up — throughput of L lanes
 * over that of one — is L.
 *
 * <p>Workloads (per lane): {@code switch}, two threads handing control back
 * and forth ({@code sleep(0)} on a hub; a park/unpark baton for the JDK
 * peers); {@code spawn}, threads started and joined in batches of 1000;
 * {@code timers}, 2,000 threads each sleeping 20 times for 0-2 ms (the
 * platform peer: one {@link ScheduledThreadPoolExecutor} thread firing the
 * same number of timers over 0-40 ms); {@code echo}, 8 TCP connections over
 * loopback, each 1,000 round trips of 64 bytes to a server in the same lane.
 * The echo runs twice on hubs: with JDK blocking sockets in green threads
 * (woken through the JDK's process-wide socket pollers) and with
 * non-blocking channels waiting in the hub's own selector
 * ({@link Hub#trampoline}).
 *
 * <p>Besides the wall time it reports the process CPU time per operation
 * relative to one lane (1.00 = the lanes cost no more CPU together than
 * apart; above that, something they share costs CPU) and the CPUs the run
 * obtained (CPU time over wall time), and for hubs the CPU time of the
 * lanes' carriers per operation, which is what a hub costs whatever else
 * the machine runs. On a machine shared with other work
 * the wall-clock speed-up is bounded by the CPUs obtained, and the CPU ratio
 * still shows contention; see bench/RESULTS.md, "Hubs across cores".
 *
 * <p>Usage: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false
 * -cp benchmarks.jar io.jeventlet.bench.MultiHub [--lanes 1,2,4] [--reps 5] [--warmup 2]
 * [--scale F] [--only switch,spawn,timers,echo]}; it prints a markdown table of medians
 * with the min-max spread of the repetitions.
 */
public final class MultiHub {
    private MultiHub() {
    }

    /** How a lane runs tasks: on the lane's hub, as virtual threads on the default scheduler, or as platform threads. */
    enum Runtime {
        HUB("hub"), HUB_TRAMPOLINE("hub, own selector"), VT("JDK virtual threads"), PLATFORM("platform threads");

        final String label;

        Runtime(String label) {
            this.label = label;
        }
    }

    /** One lane's work: runs it on the calling lane thread and returns the operations done. */
    @FunctionalInterface
    interface LaneWork {
        long run(Runtime rt, double scale, int lane) throws Exception;
    }

    static final Map<String, LaneWork> WORKLOADS = new LinkedHashMap<>();
    static final Map<String, List<Runtime>> RUNTIMES = new LinkedHashMap<>();

    static {
        WORKLOADS.put("switch", MultiHub::switches);
        RUNTIMES.put("switch", List.of(Runtime.HUB, Runtime.VT, Runtime.PLATFORM));
        WORKLOADS.put("spawn", MultiHub::spawns);
        RUNTIMES.put("spawn", List.of(Runtime.HUB, Runtime.VT, Runtime.PLATFORM));
        WORKLOADS.put("timers", MultiHub::timers);
        RUNTIMES.put("timers", List.of(Runtime.HUB, Runtime.VT, Runtime.PLATFORM));
        WORKLOADS.put("echo", MultiHub::echo);
        RUNTIMES.put("echo", List.of(Runtime.HUB, Runtime.HUB_TRAMPOLINE, Runtime.VT, Runtime.PLATFORM));
    }

    /** One measured run of L lanes. */
    record Run(double wallMs, double cpuMs, long ops, double laneCpuMs) {
    }

    /** Runs {@code work} on {@code lanes} lane threads at once; wall from the common start to the last lane's end. */
    static Run runLanes(LaneWork work, Runtime rt, int lanes, double scale) throws Exception {
        CountDownLatch ready = new CountDownLatch(lanes);
        CountDownLatch go = new CountDownLatch(1);
        long[] ops = new long[lanes];
        long[] laneCpu = new long[lanes];
        Throwable[] failure = new Throwable[1];
        List<Thread> threads = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            int lane = l;
            Runnable body = () -> {
                try {
                    if (rt == Runtime.HUB || rt == Runtime.HUB_TRAMPOLINE) {
                        Hub.get(); // the lane's hub exists before the clock starts
                    }
                    ready.countDown();
                    go.await();
                    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                    long c0 = mx.getCurrentThreadCpuTime();
                    ops[lane] = work.run(rt, scale, lane);
                    laneCpu[lane] = mx.getCurrentThreadCpuTime() - c0;
                } catch (Throwable t) {
                    synchronized (failure) {
                        failure[0] = t;
                    }
                }
            };
            // A hub lane is a carrier, started as the runtime starts its own (ServiceLauncher's workers).
            boolean hub = rt == Runtime.HUB || rt == Runtime.HUB_TRAMPOLINE;
            threads.add(hub ? CarrierThreads.start("lane-" + l, false, body)
                    : Thread.ofPlatform().name("lane-" + l).start(body));
        }
        ready.await();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        if (failure[0] != null) {
            throw new IllegalStateException(rt + " lane failed: " + failure[0], failure[0]);
        }
        return new Run((t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6, Arrays.stream(ops).sum(),
                Arrays.stream(laneCpu).sum() / 1e6);
    }

    // ---- switch -------------------------------------------------------------------------------

    private static final class Baton {
        volatile int turn;
        Thread[] pair = new Thread[2];
    }

    private static long switches(Runtime rt, double scale, int lane) throws Exception {
        int n = WallClock.scaled(rt == Runtime.PLATFORM ? 40_000 : 1_000_000, scale);
        if (rt == Runtime.HUB) {
            GreenThread<Void> a = Eventlet.spawn(() -> yieldTimes(n / 2));
            GreenThread<Void> b = Eventlet.spawn(() -> yieldTimes(n / 2));
            a.await();
            b.await();
            return n;
        }
        Baton baton = new Baton();
        Thread.Builder builder = rt == Runtime.VT ? Thread.ofVirtual() : Thread.ofPlatform();
        for (int side = 0; side < 2; side++) {
            int me = side;
            baton.pair[side] = builder.unstarted(() -> {
                for (int i = 0; i < n / 2; i++) {
                    while (baton.turn != me) {
                        LockSupport.park();
                    }
                    baton.turn = 1 - me;
                    LockSupport.unpark(baton.pair[1 - me]);
                }
            });
        }
        baton.pair[0].start();
        baton.pair[1].start();
        baton.pair[0].join();
        baton.pair[1].join();
        return n;
    }

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            Eventlet.sleep();
        }
    }

    // ---- spawn --------------------------------------------------------------------------------

    private static long spawns(Runtime rt, double scale, int lane) throws Exception {
        int n = WallClock.scaled(rt == Runtime.PLATFORM ? 4_000 : 200_000, scale);
        int batch = rt == Runtime.PLATFORM ? 100 : 1000;
        int done = 0;
        while (done < n) {
            int k = Math.min(batch, n - done);
            if (rt == Runtime.HUB) {
                List<GreenThread<Void>> gts = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    gts.add(Eventlet.spawn(() -> { }));
                }
                for (GreenThread<Void> g : gts) {
                    g.await();
                }
            } else {
                Thread.Builder b = rt == Runtime.VT ? Thread.ofVirtual() : Thread.ofPlatform();
                List<Thread> ts = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    ts.add(b.start(() -> { }));
                }
                for (Thread t : ts) {
                    t.join();
                }
            }
            done += k;
        }
        return n;
    }

    // ---- timers -------------------------------------------------------------------------------

    private static final int SLEEPS_EACH = 20;

    private static long timers(Runtime rt, double scale, int lane) throws Exception {
        int threads = WallClock.scaled(2_000, scale);
        long ops = (long) threads * SLEEPS_EACH;
        if (rt == Runtime.PLATFORM) {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
            try {
                CountDownLatch fired = new CountDownLatch((int) ops);
                SplittableRandom random = new SplittableRandom(42 + lane);
                for (long i = 0; i < ops; i++) {
                    timer.schedule(fired::countDown, random.nextLong(40_000_000L), TimeUnit.NANOSECONDS);
                }
                fired.await();
            } finally {
                timer.shutdownNow();
            }
            return ops;
        }
        List<Runnable> sleepers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(42L * (lane + 1) + t);
            sleepers.add(() -> {
                for (int i = 0; i < SLEEPS_EACH; i++) {
                    long nanos = random.nextLong(2_000_000L);
                    if (rt == Runtime.HUB) {
                        Eventlet.sleep(nanos / 1e9);
                    } else {
                        try {
                            Thread.sleep(Duration.ofNanos(nanos));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
        }
        runAll(rt, sleepers);
        return ops;
    }

    /** Runs every task as a thread of {@code rt} (green threads of the lane's hub, or JDK threads) and waits for all. */
    private static void runAll(Runtime rt, List<Runnable> tasks) throws InterruptedException {
        if (rt == Runtime.HUB || rt == Runtime.HUB_TRAMPOLINE) {
            List<GreenThread<Void>> gts = new ArrayList<>(tasks.size());
            for (Runnable r : tasks) {
                gts.add(Eventlet.spawn(r));
            }
            for (GreenThread<Void> g : gts) {
                g.await();
            }
            return;
        }
        Thread.Builder b = rt == Runtime.VT ? Thread.ofVirtual() : Thread.ofPlatform();
        List<Thread> ts = new ArrayList<>(tasks.size());
        Throwable[] failed = new Throwable[1];
        for (Runnable r : tasks) {
            ts.add(b.start(() -> {
                try {
                    r.run();
                } catch (Throwable t) {
                    failed[0] = t;
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failed[0] != null) {
            throw new IllegalStateException("a task failed: " + failed[0], failed[0]);
        }
    }

    // ---- echo ---------------------------------------------------------------------------------

    private static final int CONNECTIONS = 8;
    private static final int MESSAGE = 64;

    private static long echo(Runtime rt, double scale, int lane) throws Exception {
        int trips = WallClock.scaled(1_000, scale);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), CONNECTIONS);
            InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
            boolean own = rt == Runtime.HUB_TRAMPOLINE;
            if (own) {
                server.configureBlocking(false);
            }
            List<Runnable> tasks = new ArrayList<>();
            tasks.add(() -> serve(rt, server, trips, own));
            for (int c = 0; c < CONNECTIONS; c++) {
                tasks.add(() -> ping(at, trips, own));
            }
            runAll(rt, tasks);
        }
        return (long) CONNECTIONS * trips;
    }

    /** The lane's server: one acceptor (a channel has one reader at a time) starting a handler per connection. */
    private static void serve(Runtime rt, ServerSocketChannel server, int trips, boolean own) {
        try {
            List<Runnable> handlers = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel accepted;
                if (own) {
                    while ((accepted = server.accept()) == null) {
                        Hub.get().trampoline(server, true, false, 60);
                    }
                    accepted.configureBlocking(false);
                } else {
                    accepted = server.accept();
                }
                SocketChannel c = accepted;
                handlers.add(start(rt, () -> serveOne(c, trips, own)));
            }
            for (Runnable join : handlers) {
                join.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code task} as a thread of {@code rt}; the returned runnable waits for it. */
    private static Runnable start(Runtime rt, Runnable task) {
        if (rt == Runtime.HUB || rt == Runtime.HUB_TRAMPOLINE) {
            GreenThread<Void> g = Eventlet.spawn(task);
            return g::await;
        }
        Thread t = (rt == Runtime.VT ? Thread.ofVirtual() : Thread.ofPlatform()).start(task);
        return () -> {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void serveOne(SocketChannel accepted, int trips, boolean own) {
        try {
            try (SocketChannel c = accepted) {
                ByteBuffer buf = ByteBuffer.allocate(MESSAGE);
                for (int i = 0; i < trips; i++) {
                    buf.clear();
                    readFully(c, buf, own);
                    buf.flip();
                    writeFully(c, buf, own);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ping(InetSocketAddress at, int trips, boolean own) {
        try (SocketChannel c = SocketChannel.open()) {
            if (own) {
                c.configureBlocking(false);
                if (!c.connect(at)) {
                    while (!c.finishConnect()) {
                        Hub.get().trampoline(c, false, true, 60);
                    }
                }
            } else {
                c.connect(at);
            }
            ByteBuffer buf = ByteBuffer.allocate(MESSAGE);
            for (int i = 0; i < trips; i++) {
                buf.clear();
                buf.putInt(0, i);
                writeFully(c, buf, own);
                buf.clear();
                readFully(c, buf, own);
                if (buf.getInt(0) != i) {
                    throw new IllegalStateException("echo returned " + buf.getInt(0) + " for " + i);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFully(SocketChannel c, ByteBuffer buf, boolean own) throws IOException {
        while (buf.hasRemaining()) {
            int n = c.read(buf);
            if (n < 0) {
                throw new IOException("peer closed after " + buf.position() + " bytes");
            }
            if (n == 0 && own) {
                Hub.get().trampoline(c, true, false, 60);
            }
        }
    }

    private static void writeFully(SocketChannel c, ByteBuffer buf, boolean own) throws IOException {
        while (buf.hasRemaining()) {
            if (c.write(buf) == 0 && own) {
                Hub.get().trampoline(c, false, true, 60);
            }
        }
    }

    // ---- the driver ---------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        int reps = option(a, "--reps", "5", Integer::parseInt);
        int warmup = option(a, "--warmup", "2", Integer::parseInt);
        double scale = option(a, "--scale", "1", Double::parseDouble);
        int ncpu = java.lang.Runtime.getRuntime().availableProcessors();
        List<Integer> laneCounts = Arrays.stream(option(a, "--lanes", ncpu > 2 ? "1,2," + ncpu : "1,2", s -> s)
                .split(",")).map(Integer::parseInt).distinct().toList();
        List<String> only = Arrays.asList(option(a, "--only", String.join(",", WORKLOADS.keySet()), s -> s).split(","));
        for (String w : only) {
            if (!WORKLOADS.containsKey(w)) {
                throw new IllegalArgumentException("--only " + w + ": unknown workload; expected one of "
                        + WORKLOADS.keySet());
            }
        }
        System.out.printf(Locale.ROOT, "# MultiHub java=%s cpus=%d lanes=%s reps=%d warmup=%d scale=%s%n",
                java.lang.Runtime.version(), ncpu, laneCounts, reps, warmup, scale);
        System.out.println("| workload | runtime | lanes | wall ms (median, min-max) | throughput | speed-up vs 1 lane"
                + " (min-max) | CPU per op vs 1 lane | CPUs obtained | hub carrier CPU per op (min-max) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String w : only) {
            for (Runtime rt : RUNTIMES.get(w)) {
                Run[] base = null;
                for (int lanes : laneCounts) {
                    for (int i = 0; i < warmup; i++) {
                        runLanes(WORKLOADS.get(w), rt, lanes, scale);
                    }
                    Run[] runs = new Run[reps];
                    for (int i = 0; i < reps; i++) {
                        runs[i] = runLanes(WORKLOADS.get(w), rt, lanes, scale);
                    }
                    if (base == null) {
                        base = runs;
                    }
                    System.out.println(row(w, rt, lanes, runs, base));
                }
            }
        }
        System.exit(0);
    }

    private static String row(String w, Runtime rt, int lanes, Run[] runs, Run[] base) {
        double[] wall = Arrays.stream(runs).mapToDouble(Run::wallMs).sorted().toArray();
        double baseWall = median(Arrays.stream(base).mapToDouble(Run::wallMs).toArray());
        double baseCpuPerOp = median(Arrays.stream(base).mapToDouble(r -> r.cpuMs() / r.ops()).toArray());
        double cpuPerOp = median(Arrays.stream(runs).mapToDouble(r -> r.cpuMs() / r.ops()).toArray());
        double cpus = median(Arrays.stream(runs).mapToDouble(r -> r.cpuMs() / r.wallMs()).toArray());
        long ops = runs[0].ops();
        double med = median(wall);
        // Weak scaling: each lane does one lane's work, so the speed-up is lanes x wall(1) / wall(L).
        double speed = lanes * baseWall / med;
        // On a hub the whole lane runs on its carrier (the lane thread), so its thread CPU clock
        // is the hub's cost, free of the JIT, the collector and other processes.
        String carrier = "-";
        if (rt == Runtime.HUB || rt == Runtime.HUB_TRAMPOLINE) {
            double[] perOp = Arrays.stream(runs).mapToDouble(r -> r.laneCpuMs() * 1e6 / r.ops()).sorted().toArray();
            carrier = String.format(Locale.ROOT, "%.0f ns (%.0f-%.0f)", median(perOp), perOp[0], perOp[perOp.length - 1]);
        }
        return String.format(Locale.ROOT, "| %s | %s | %d | %.1f (%.1f-%.1f) | %s | %.2fx (%.2f-%.2f) | %.2f | %.2f | %s |",
                w, rt.label, lanes, med, wall[0], wall[wall.length - 1], rate(ops / (med / 1000)), speed,
                lanes * baseWall / wall[wall.length - 1], lanes * baseWall / wall[0], cpuPerOp / baseCpuPerOp, cpus,
                carrier);
    }

    private static String rate(double perSecond) {
        return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.2f M ops/s", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.1f k ops/s", perSecond / 1e3);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static <T> T option(List<String> a, String name, String dflt, java.util.function.Function<String, T> parse) {
        int i = a.indexOf(name);
        String v = i < 0 ? dflt : a.get(i + 1);
        try {
            return parse.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " " + v + " is not valid: " + e.getMessage(), e);
        }
    }
}

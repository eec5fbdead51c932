package io.jeventlet.bench;

import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.service.Service;
import io.jeventlet.service.ServiceLauncher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers workload: how much a second worker speeds up a CPU-bound
 * jeventlet service on this machine, beside how much a second plain platform
 * thread speeds up the same work. The work is SHA-256 over small buffers;
 * each green thread hashes its share one buffer at a time and yields
 * ({@code sleep(0)}) after each, as a cooperative service must. The total
 * work is the same for 1 and 2 workers (each of 2 does half), so the
 * speed-up is {@code time(1) / time(2)}; the platform peer splits the same
 * total over 1 and then 2 threads, without yields.
 *
 * <p>A jeventlet run is a whole daemon life: a {@link ServiceLauncher} on the
 * calling thread's hub starts the workers (each its own OS thread and hub),
 * the instances hash, the last to finish calls {@code stop()}, and
 * {@code await()} returns; the time includes starting and stopping.
 */
final class ServiceWorkers {
    /** Buffers hashed per run in total, whatever the number of workers. */
    static final int HASHES = 1_200_000;
    /** Green threads per service instance. */
    static final int GREEN_THREADS = 100;
    private static final int BUFFER = 64;

    private ServiceWorkers() {
    }

    /** The CPU-bound service: {@code GREEN_THREADS} green threads hash {@code hashes} buffers in all. */
    private static final class Hashing extends Service {
        private final int hashes;
        private final Runnable done;

        Hashing(int hashes, Runnable done) {
            this.hashes = hashes;
            this.done = done;
        }

        @Override
        public void start() {
            AtomicInteger left = new AtomicInteger(GREEN_THREADS);
            for (int t = 0; t < GREEN_THREADS; t++) {
                int share = hashes / GREEN_THREADS + (t < hashes % GREEN_THREADS ? 1 : 0);
                int seed = t;
                threadGroup().addThread(() -> {
                    MessageDigest sha = sha256();
                    byte[] buf = new byte[BUFFER];
                    buf[0] = (byte) seed;
                    for (int i = 0; i < share; i++) {
                        buf = hashInto(sha, buf);
                        Eventlet.sleep();
                    }
                    Blackhole.consume(buf);
                    if (left.decrementAndGet() == 0) {
                        done.run();
                    }
                    return null;
                });
            }
        }
    }

    /** Interleaved rounds per repetition, of which each configuration's fastest counts. */
    static final int ROUNDS = 5;

    /** One run: its wall-clock and process CPU milliseconds. */
    record Run(double wallMs, double cpuMs) {
        Run faster(Run other) {
            return other.wallMs < wallMs ? other : this;
        }
    }

    /** The fastest run of each configuration over some interleaved rounds. */
    record Best(Run one, Run two, Run jdkOne, Run jdkTwo) {
    }

    /**
     * Runs the four configurations in turn, {@code rounds} times, and keeps
     * each one's fastest run. This 2-core machine is shared: a neighbour's
     * burst of work slows whatever runs at that moment, so one run of each
     * would let it land on one side only; the fastest of interleaved rounds
     * is what each configuration does when it gets both cores. The process
     * CPU time of each kept run shows what the wall clock cannot: whether
     * two workers cost more CPU in all than one (contention) or the same.
     */
    static Best bestOf(int rounds, double scale) throws InterruptedException {
        Run one = null;
        Run two = null;
        Run jdkOne = null;
        Run jdkTwo = null;
        for (int i = 0; i < rounds; i++) {
            one = fastest(one, measure(() -> jeventletMs(1, scale)));
            jdkOne = fastest(jdkOne, measure(() -> platformMs(1, scale)));
            two = fastest(two, measure(() -> jeventletMs(2, scale)));
            jdkTwo = fastest(jdkTwo, measure(() -> platformMs(2, scale)));
        }
        return new Best(one, two, jdkOne, jdkTwo);
    }

    private static Run fastest(Run kept, Run next) {
        return kept == null ? next : kept.faster(next);
    }

    /** A timed configuration. */
    private interface Timed {
        double ms() throws InterruptedException;
    }

    private static Run measure(Timed timed) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        double wall = timed.ms();
        return new Run(wall, (os.getProcessCpuTime() - cpu0) / 1e6);
    }

    /** Milliseconds for a launcher with {@code workers} instances to do {@link #HASHES} (scaled) hashes. */
    static double jeventletMs(int workers, double scale) {
        int total = WallClock.scaled(HASHES, scale);
        ConfigOpts conf = ConfigOpts.builder().systemProperties(Map.of()).environment(Map.of()).load();
        ServiceLauncher launcher = new ServiceLauncher(conf);
        AtomicInteger finished = new AtomicInteger();
        launcher.launchService(() -> new Hashing(total / workers, () -> {
            if (finished.incrementAndGet() == workers) {
                launcher.stop();
            }
        }), workers);
        long t0 = System.nanoTime();
        int status = launcher.await();
        long t1 = System.nanoTime();
        if (status != 0 || finished.get() != workers) {
            throw new IllegalStateException("the service run failed: status " + status + ", " + finished.get()
                    + " of " + workers + " instances finished");
        }
        return (t1 - t0) / 1e6;
    }

    /** Milliseconds for {@code threads} platform threads to do the same hashes between them. */
    static double platformMs(int threads, double scale) throws InterruptedException {
        int total = WallClock.scaled(HASHES, scale);
        List<Thread> started = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int share = total / threads;
            int seed = t;
            started.add(Thread.ofPlatform().start(() -> {
                MessageDigest sha = sha256();
                byte[] buf = new byte[BUFFER];
                buf[0] = (byte) seed;
                for (int i = 0; i < share; i++) {
                    buf = hashInto(sha, buf);
                }
                Blackhole.consume(buf);
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Hashes {@code buf} and returns the next buffer: the digest's first bytes, so no work can be skipped. */
    private static byte[] hashInto(MessageDigest sha, byte[] buf) {
        byte[] digest = sha.digest(buf);
        System.arraycopy(digest, 0, buf, 0, Math.min(digest.length, buf.length));
        return buf;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * The profiling driver of bench/RESULTS.md ("Hubs across cores"): runs the
     * jeventlet side with {@code args[0]} workers {@code args[1]} times and
     * prints each run's wall and process CPU time, so a profiler attached to
     * the JVM sees one configuration only.
     */
    public static void main(String[] args) throws Exception {
        int workers = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        for (int i = 0; i < runs; i++) {
            Run r = measure(() -> jeventletMs(workers, 1.0));
            System.out.printf(java.util.Locale.ROOT, "service_workers workers=%d wall %.1f ms cpu %.1f ms (%.2f CPUs)%n",
                    workers, r.wallMs(), r.cpuMs(), r.cpuMs() / r.wallMs());
        }
        System.exit(0);
    }

    /** Keeps results alive so the JIT cannot drop the hashing. */
    static final class Blackhole {
        static volatile int sink;

        static void consume(byte[] b) {
            sink += b[0];
        }
    }
}

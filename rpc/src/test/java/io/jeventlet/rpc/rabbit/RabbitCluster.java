package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.fail;

import io.jeventlet.rpc.TestPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' own 3-node RabbitMQ cluster on loopback ({@code bin/rabbitmq-cluster}):
 * the brokers that tests stop, kill, alarm and restart, never the shared
 * {@code rabbit@localhost}. Each test JVM has a cluster of its own, so test
 * runs of several checkouts on one machine never stop each other's brokers:
 * node names {@code jeventlet-<pid>-c<n>@localhost} and a port range of its own
 * (below the ephemeral ports, claimed by a lock file), started on first use (about half a minute) and stopped when the JVM exits.
 * With {@code RABBITMQ_CLUSTER_PREFIX} and {@code RABBITMQ_CLUSTER_BASE_PORT}
 * set (a cluster started by hand, {@code bin/rabbitmq-cluster start}), that
 * cluster is used, and left running if it already ran. Thread-safe.
 *
 * <p>Node {@code n} (1..3) listens for AMQP on {@code BASE_PORT + n} and TLS on
 * {@code BASE_PORT + 10 + n}; its distribution port is {@code BASE_PORT + 20000 + n}.
 */
final class RabbitCluster {
    static final String PREFIX = System.getenv().getOrDefault("RABBITMQ_CLUSTER_PREFIX",
            "jeventlet-" + ProcessHandle.current().pid() + "-c");
    static final int BASE_PORT = basePort();
    private static boolean started;

    /** Where a cluster's ports start: at most its highest port (base + 20003) below the kernel's ephemeral ports. */
    private static final int LOWEST_BASE = 10_000;
    /** Held for the JVM's life: the claim on this JVM's port range against other test JVMs. */
    private static java.nio.channels.FileChannel claim;

    /**
     * The environment's base port, or a range of this JVM's own. The range lies below the
     * kernel's ephemeral ports (net.ipv4.ip_local_port_range): any outgoing connection may take
     * a port of that range as its local port between a check that it is free and the broker's
     * bind (a node failed to start on exactly that, eaddrinuse on its TLS port). A lock file per
     * range keeps two test JVMs that start at once from picking the same one.
     */
    private static int basePort() {
        String env = System.getenv("RABBITMQ_CLUSTER_BASE_PORT");
        if (env != null) {
            return Integer.parseInt(env);
        }
        int highest = TestPorts.ephemeralLow() - 20_004;
        int slots = Math.max(1, (highest - LOWEST_BASE) / 50);
        int first = (int) (ProcessHandle.current().pid() % slots);
        for (int i = 0; i < slots; i++) {
            int base = LOWEST_BASE + 50 * ((first + i) % slots);
            if (claim(base) && allFree(base)) {
                return base;
            }
            release();
        }
        throw new IllegalStateException("no free port range below " + (highest + 20_004)
                + " for the tests' RabbitMQ cluster");
    }

    private static boolean allFree(int base) {
        for (int n = 1; n <= 3; n++) {
            if (!TestPorts.free(base + n) || !TestPorts.free(base + 10 + n) || !TestPorts.free(base + 20_000 + n)) {
                return false;
            }
        }
        return true;
    }


    private static boolean claim(int base) {
        try {
            Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jeventlet-rabbit-cluster-" + base + ".lock");
            claim = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
            if (claim.tryLock() != null) {
                return true;
            }
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            // taken: try the next range
        }
        return false;
    }

    private static void release() {
        try {
            if (claim != null) {
                claim.close();
            }
        } catch (IOException e) {
            // nothing held
        }
        claim = null;
    }


    private RabbitCluster() {}

    /** Starts the cluster unless it runs; fails the test if it cannot. */
    static synchronized void ensure() {
        if (started) {
            return;
        }
        if (script("status", 60).exit == 0) {
            started = true;
            return;
        }
        Result r = script("start", 240);
        if (r.exit != 0) {
            fail("bin/rabbitmq-cluster start failed (" + r.exit + "): " + r.out);
        }
        started = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> script("stop", 120)));
    }

    static String node(int n) {
        return PREFIX + n + "@localhost";
    }

    static int port(int n) {
        return BASE_PORT + n;
    }

    static int tlsPort(int n) {
        return BASE_PORT + 10 + n;
    }

    /** guest's URL of node {@code n}. */
    static String url(int n) {
        ensure();
        return "rabbit://guest:guest@127.0.0.1:" + port(n) + "/";
    }

    /** guest's URL of the given nodes, in that order. */
    static String url(int... nodes) {
        ensure();
        List<String> hosts = new ArrayList<>();
        for (int n : nodes) {
            hosts.add("guest:guest@127.0.0.1:" + port(n));
        }
        return "rabbit://" + String.join(",", hosts) + "/";
    }

    /** {@code rabbitmqctl -n <node n> args...}; fails the test if it fails. */
    static String ctl(int n, String... args) {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-n", node(n), "-q"));
        cmd.addAll(List.of(args));
        Result r = run(cmd, 120);
        if (r.exit != 0) {
            fail("rabbitmqctl -n " + node(n) + " " + String.join(" ", args) + " failed (" + r.exit + "): " + r.out);
        }
        return r.out;
    }

    /** Kills node {@code n}'s VM with SIGKILL: a crashed host. */
    static void kill(int n) {
        script("kill-node " + n, 60);
    }

    /** Starts node {@code n} again (after {@link #kill}); it rejoins the cluster. */
    static void start(int n) {
        Result r = script("start-node " + n, 180);
        if (r.exit != 0) {
            fail("bin/rabbitmq-cluster start-node " + n + " failed: " + r.out);
        }
    }

    /** True when node {@code n} accepts TCP connections on its AMQP port. */
    static boolean accepting(int n) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port(n)), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private record Result(int exit, String out) {}

    private static Result script(String args, int seconds) {
        List<String> cmd = new ArrayList<>(List.of("bash", bin("rabbitmq-cluster").toString()));
        cmd.addAll(List.of(args.split(" ")));
        return run(cmd, seconds);
    }

    private static Path bin(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("bin").resolve(name))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("bin/" + name + " not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("bin").resolve(name);
    }

    private static Result run(List<String> cmd, int seconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("RABBITMQ_CLUSTER_PREFIX", PREFIX);
            pb.environment().put("RABBITMQ_CLUSTER_BASE_PORT", Integer.toString(BASE_PORT));
            var r = io.jeventlet.rpc.Commands.run(pb, seconds, String.join(" ", cmd));
            return new Result(r.exit(), r.output());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + " (apt-get install rabbitmq-server): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

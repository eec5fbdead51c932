package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.fail;

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
 * node names {@code jeventlet-<pid>-c<n>@localhost} and a free port range,
 * started on first use (about half a minute) and stopped when the JVM exits.
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

    /** The environment's base port, or a free range picked from this JVM's pid. */
    private static int basePort() {
        String env = System.getenv("RABBITMQ_CLUSTER_BASE_PORT");
        if (env != null) {
            return Integer.parseInt(env);
        }
        int base = 30_000 + (int) (ProcessHandle.current().pid() * 47 % 14_000);
        for (int tries = 0; tries < 200; tries++, base = 30_000 + (base - 30_000 + 50) % 14_000) {
            boolean free = true;
            for (int n = 1; n <= 3 && free; n++) {
                free = freePort(base + n) && freePort(base + 10 + n) && freePort(base + 20_000 + n);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range for the tests' RabbitMQ cluster");
    }

    private static boolean freePort(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
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

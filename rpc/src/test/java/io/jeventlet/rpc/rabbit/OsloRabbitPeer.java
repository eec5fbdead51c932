package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Python oslo.messaging peer ({@code src/test/python/oslo_rabbit_peer.py} run
 * by Debian's {@code /usr/bin/python3}): a server process that tests stop in
 * {@link #close()}, or one client scenario run to its end.
 */
final class OsloRabbitPeer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    static final String SCRIPT = "src/test/python/oslo_rabbit_peer.py";

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private OsloRabbitPeer(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("oslo-peer-out").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output closed: " + e + ")");
            }
        });
    }

    private static List<String> command(String mode, String url, String topic, String server, String... more) {
        if (!new File(PYTHON).canExecute()) {
            fail(PYTHON + " is missing: apt-get install -y python3-oslo.messaging");
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT, mode, "--url", url, "--topic", topic));
        if (server != null) {
            cmd.addAll(List.of("--server", server));
        }
        cmd.addAll(List.of(more));
        return cmd;
    }

    /** Starts an oslo RPC server of {@code topic}/{@code server} and waits (20 s at most) until it consumes. */
    static OsloRabbitPeer server(String url, String topic, String server, String... more) throws IOException {
        Process p = new ProcessBuilder(command("server", url, topic, server, more)).redirectErrorStream(true).start();
        OsloRabbitPeer peer = new OsloRabbitPeer(p);
        try {
            peer.expectLine("ready", 20);
        } catch (AssertionError | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** Starts a client running the {@code loop} case for {@code duration} seconds (calls of {@code timeout} s). */
    static OsloRabbitPeer loop(String url, String topic, String server, double duration, double timeout)
            throws IOException {
        return new OsloRabbitPeer(new ProcessBuilder(command("client", url, topic, server, "--case", "loop",
                "--duration", Double.toString(duration), "--timeout", Double.toString(timeout)))
                .redirectErrorStream(true).start());
    }

    /** Runs one client scenario ({@code --case}) and returns its JSON result lines; fails after 30 s. */
    static List<String> client(String url, String topic, String server, String scenario, double timeout,
                               String... more) throws IOException, InterruptedException {
        List<String> cmd = command("client", url, topic, server, "--case", scenario, "--timeout", Double.toString(timeout));
        cmd.addAll(List.of(more));
        var r = io.jeventlet.rpc.Commands.run(new ProcessBuilder(cmd), 30, "python client scenario " + scenario);
        List<String> json = r.output().lines().filter(l -> l.startsWith("{")).toList();
        if (r.exit() != 0 || json.isEmpty()) {
            fail("python client scenario " + scenario + " failed (exit " + r.exit() + "):\n" + r.output());
        }
        return json;
    }

    /** Waits for an output line starting with {@code prefix}; returns it. */
    String expectLine(String prefix, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<String> seen = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("the python peer did not print '" + prefix + "' within " + seconds + " s; it printed:\n"
                            + String.join("\n", seen));
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                seen.add(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Stops the peer: closes its stdin (a graceful stop), then kills it if it lingers. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}

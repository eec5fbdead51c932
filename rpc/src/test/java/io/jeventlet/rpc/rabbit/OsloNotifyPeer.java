package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Python oslo.messaging notification peer ({@code src/test/python/oslo_notify_peer.py}
 * run by Debian's {@code /usr/bin/python3}): a listener process that tests
 * stop in {@link #close()}, or a notifier run to its end.
 */
final class OsloNotifyPeer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    static final String SCRIPT = "src/test/python/oslo_notify_peer.py";
    /** Strict: a line holding two notifications run together fails loudly instead of counting as one. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

    private OsloNotifyPeer(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("oslo-notify-peer-out").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output closed: " + e + ")");
            }
        });
    }

    private static List<String> command(String mode, String url, List<String> topics, String... more) {
        if (!new File(PYTHON).canExecute()) {
            fail(PYTHON + " is missing: apt-get install -y python3-oslo.messaging");
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT, mode, "--url", url));
        for (String t : topics) {
            cmd.addAll(List.of("--topic", t));
        }
        cmd.addAll(List.of(more));
        return cmd;
    }

    /** Starts a Python notification listener of {@code topics}; waits (20 s at most) until it consumes. */
    static OsloNotifyPeer listener(String url, List<String> topics, String... more) throws IOException {
        Process p = new ProcessBuilder(command("listen", url, topics, more)).redirectErrorStream(true).start();
        OsloNotifyPeer peer = new OsloNotifyPeer(p);
        try {
            peer.expectLine("ready", 20);
        } catch (AssertionError | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** Runs the Python Notifier to its end (60 s at most) and returns its result line. */
    static Map<String, Object> notify(String url, String topic, String... more) throws IOException,
            InterruptedException {
        var r = io.jeventlet.rpc.Commands.run(new ProcessBuilder(command("notify", url, List.of(topic), more)), 60,
                "the python notifier");
        List<String> json = r.output().lines().filter(l -> l.startsWith("{")).toList();
        if (r.exit() != 0 || json.isEmpty()) {
            fail("the python notifier failed (exit " + r.exit() + "):\n" + r.output());
        }
        return parse(json.get(json.size() - 1));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The notifications the listener printed so far. */
    List<Map<String, Object>> received() {
        synchronized (all) {
            return all.stream().filter(l -> l.startsWith("{\"priority\"")).map(OsloNotifyPeer::parse).toList();
        }
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

    /** Stops a listener gracefully (closes its stdin) and returns its final line; kills it if it lingers. */
    Map<String, Object> finish() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        return parse(expectLine("{\"done\"", 20));
    }

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

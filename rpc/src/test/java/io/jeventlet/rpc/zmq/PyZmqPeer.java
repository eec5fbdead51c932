package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeventlet.Eventlet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/zmq_peer.py} — a client and server written with
 * pyzmq from docs/PROTOCOL.md alone — under Debian's /usr/bin/python3. A
 * machine without python3-zmq fails the test naming the package: the
 * protocol must be checked against a real foreign peer, never skipped.
 */
final class PyZmqPeer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    static final String INSTALL = "apt-get install python3-zmq";
    static final Path SCRIPT = Path.of("src/test/python/zmq_peer.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    /** Copies stdout into {@link #lines}; once it has ended, every line the peer printed is there. */
    private final Thread stdoutPump;

    private PyZmqPeer(Path script, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(args);
        process = new ProcessBuilder(command).start();
        stdoutPump = pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                lines, null);
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), null, stderr);
    }

    private static Thread pump(BufferedReader in, BlockingQueue<String> to, StringBuilder sink) {
        return Thread.ofPlatform().daemon(true).start(() -> {
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    if (to != null) {
                        to.add(line);
                    } else {
                        synchronized (sink) {
                            sink.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
    }

    /** Fails the test, naming the package to install, unless /usr/bin/python3 imports zmq. */
    static void require() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: the ZeroMQ protocol is checked against a pyzmq peer; run " + INSTALL);
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import zmq").redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(PYTHON + " cannot import zmq (" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()
                        + "); run " + INSTALL);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Starts a peer; the caller closes it. */
    static PyZmqPeer start(String... args) throws Exception {
        require();
        return new PyZmqPeer(SCRIPT, List.of(args));
    }

    /** Starts another pyzmq script of {@code src/test/python}; the caller closes it. */
    static PyZmqPeer script(String name, String... args) throws Exception {
        require();
        return new PyZmqPeer(Path.of("src/test/python", name), List.of(args));
    }

    /** Closes the peer's stdin (a server or attacker then ends) without waiting. */
    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /**
     * Runs a one-shot peer (call or cast) and returns its JSON line as a map.
     * Waits cooperatively, so a server on the caller's hub keeps serving.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> once(String... args) throws Exception {
        try (PyZmqPeer peer = start(args)) {
            String line = peer.nextLine(30);
            return JSON.readValue(line, Map.class);
        }
    }

    /** The next stdout line, waiting cooperatively up to {@code seconds}; fails with the peer's stderr. */
    String nextLine(double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            String line = lines.poll();
            if (line != null) {
                return line;
            }
            if (!stdoutPump.isAlive() && lines.isEmpty()) {
                break; // the peer's stdout has ended and every line it printed was taken
            }
            Eventlet.sleep(0.01);
        }
        synchronized (stderr) {
            fail("zmq_peer.py printed nothing within " + seconds + " s (alive " + process.isAlive() + "); stderr:\n" + stderr);
        }
        return null;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();   // a server ends when its stdin closes
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        } finally {
            process.destroyForcibly();
        }
    }
}

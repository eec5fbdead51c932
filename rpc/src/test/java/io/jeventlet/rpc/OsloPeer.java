package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code oslo_peer.py} (a test resource) under Debian's /usr/bin/python3
 * with python3-oslo.messaging. A machine without them fails the test with
 * the command that installs them: the envelope must be checked against the
 * real oslo.messaging, never skipped.
 */
final class OsloPeer {
    static final String PYTHON = "/usr/bin/python3";
    static final String INSTALL = "apt-get install python3-oslo.messaging";

    private OsloPeer() {}

    /** Fails the test, naming the package to install, unless /usr/bin/python3 imports oslo_messaging. */
    static void require() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: the envelope is checked against Python oslo.messaging; run " + INSTALL);
        }
        Result r = run(new String[] {PYTHON, "-c", "import oslo_messaging._drivers.common"}, "");
        if (r.status != 0) {
            fail(PYTHON + " cannot import oslo_messaging (" + r.stderr.strip() + "); run " + INSTALL);
        }
    }

    /** Runs oslo_peer.py {@code mode} with {@code stdin}; returns its stdout, failing on a non-zero exit. */
    static String peer(String mode, String stdin) throws Exception {
        require();
        Path script = Files.createTempFile("oslo_peer", ".py");
        try (InputStream in = OsloPeer.class.getResourceAsStream("oslo_peer.py")) {
            Files.write(script, in.readAllBytes());
            Result r = run(new String[] {PYTHON, script.toString(), mode}, stdin);
            if (r.status != 0) {
                fail("oslo_peer.py " + mode + " exited " + r.status + ": " + r.stderr);
            }
            return r.stdout;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private record Result(int status, String stdout, String stderr) {
    }

    private static Result run(String[] command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        try {
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } finally {
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}

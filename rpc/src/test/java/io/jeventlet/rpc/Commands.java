package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command (rabbitmqctl, a Python peer's one-shot scenario) to its end and returns its exit status
 * and output (standard error merged in).
 *
 * <p>The output is read while the command runs: a command that writes more than the pipe holds (64 KiB on
 * Linux, e.g. {@code rabbitmqctl list_queues} on a broker with a thousand queues) would otherwise block on its
 * write while the test waited for it to exit, and the test would fail at its time limit for nothing.
 */
public final class Commands {

    /** What a command left: its exit status and its output. */
    public record Result(int exit, String output) {}

    private Commands() {}

    /** Runs {@code command}; fails the test, naming {@code what}, when it has not ended within {@code seconds}. */
    public static Result run(ProcessBuilder command, long seconds, String what) throws IOException, InterruptedException {
        Process p = command.redirectErrorStream(true).start();
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                fail(what + " did not finish within " + seconds + " s");
            }
            return new Result(p.exitValue(), out.join());
        } finally {
            p.destroyForcibly();
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

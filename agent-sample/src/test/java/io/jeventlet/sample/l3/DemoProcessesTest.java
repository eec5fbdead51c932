package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.rpc.zmq.ZmqProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as real processes over ZeroMQ: a proxy in this JVM, the demo a
 * child JVM, and the plugin simulator and agents its children.
 */
class DemoProcessesTest {

    /** Starts the demo as a child JVM on {@code url}; its output goes to {@code out}. */
    private static Process startDemo(String url, Path out, String... args) throws IOException {
        // env --default-signal: the demo must see the SIGINT below even when this test run ignores it (a
        // background job of a non-interactive shell does, and a child keeps an ignored signal ignored).
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,QUIT,TERM,USR2",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DemoMain.class.getName(), "--transport-url", url, "--routers", "20", "--rate", "20"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** Waits (bounded) until the demo has written {@code text}, failing if it ends first. */
    private static void awaitOutput(Process p, Path out, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!read(out).contains(text)) {
            assertTrue(p.isAlive(), "the demo ended early: " + read(out));
            assertTrue(System.nanoTime() < deadline, "the demo never wrote '" + text + "': " + read(out));
            Thread.sleep(100);
        }
    }

    /** Every process below {@code p} now. */
    private static List<ProcessHandle> descendants(Process p) {
        return p.descendants().toList();
    }

    private static void assertAllEnd(List<ProcessHandle> procs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle h : procs) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Still alive: said below.
            }
            assertFalse(h.isAlive(), "process " + h.pid() + " " + h.info().commandLine().orElse("")
                    + " outlived the demo");
        }
    }

    /**
     * The plugin simulator and two agents as separate processes drive a
     * workload until SIGINT (Ctrl-C) reaches the demo: it still prints its
     * summary, which ends in agreement, and none of its processes is left.
     */
    @Test
    @Timeout(120)
    void interruptedDemoAgreesAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.out");
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0")) {
            Process demo = startDemo(proxy.transportUrl(), out, "--agents", "2", "--duration", "0");
            List<ProcessHandle> children = List.of();
            try {
                awaitOutput(demo, out, "reported to the plugin");
                children = descendants(demo);
                assertTrue(children.size() >= 3, "expected the plugin and two agents: " + children);
                // The workload has run once the demo prints its first progress line (" s  changes N ...").
                awaitOutput(demo, out, " s  changes ");
                Process kill = new ProcessBuilder("sh", "-c", "kill -INT " + demo.pid()).inheritIO().start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");
                assertTrue(demo.waitFor(90, TimeUnit.SECONDS), "the demo did not end: " + read(out));
                String text = read(out);
                assertTrue(text.contains("stopped by Ctrl-C or SIGTERM"), text);
                assertTrue(text.strip().endsWith("agreement: every agent's routers equal what the plugin scheduled to it"),
                        "the summary's last line is not the agreement: " + text);
                assertAllEnd(children);
            } finally {
                demo.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Killed with SIGKILL, so that it cannot stop them itself, the demo's processes still all exit. */
    @Test
    @Timeout(120)
    void killedDemoLeavesNoProcessBehind(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.out");
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0")) {
            Process demo = startDemo(proxy.transportUrl(), out, "--agents", "1", "--duration", "0");
            List<ProcessHandle> children = List.of();
            try {
                awaitOutput(demo, out, "reported to the plugin");
                children = descendants(demo);
                assertTrue(children.size() >= 2, "expected the plugin and an agent: " + children);
                demo.destroyForcibly();
                assertTrue(demo.waitFor(10, TimeUnit.SECONDS));
                assertAllEnd(children);
            } finally {
                demo.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}

package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigCommandLine;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class L3AgentMainTest {
    private static final String OUT = "out.txt";
    private static final String ERR = "err.txt";

    /** What one in-process run of the command returned and wrote. */
    private record Run(int status, String out, String err) {
    }

    /** Runs the command on a fresh platform thread, so its main greenlet and hub are its own. */
    private static Run runInProcess(String... args) throws Exception {
        CompletableFuture<Run> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("l3-agent-main-test").start(() -> {
            try {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cl = ConfigCommandLine.commandLine(new L3AgentMain());
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                int status = cl.execute(args);
                result.complete(new Run(status, out.toString(), err.toString()));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(45, TimeUnit.SECONDS);
        } finally {
            t.join(10_000);
        }
    }

    /** --help exits 0 and its example of a --group.option and an environment variable names an option that exists. */
    @Test
    void helpExampleNamesADeclaredOption() throws Exception {
        Run r = runInProcess("--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("--agent.workers=") && r.out().contains("JEVENTLET_AGENT__WORKERS"), r.out());
    }

    /** An option value out of its range exits 2 and names the option, the value and the rule. */
    @Test
    void invalidConfigValueExitsTwoWithAClearMessage() throws Exception {
        Run r = runInProcess("--agent.workers=0");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("agent.workers") && r.err().contains("0") && r.err().contains(">= 1"),
                "unclear message: " + r.err());
        assertEquals("", r.out());
    }

    /** A negative --duration is rejected by demo.duration's rule with exit status 2. */
    @Test
    void negativeDurationExitsTwo() throws Exception {
        Run r = runInProcess("--duration", "-1");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("demo.duration"), "unclear message: " + r.err());
    }

    /** A two-second run on the real clock exits 0 and prints a summary that says the invariants held. */
    @Test
    void shortRunOnTheRealClockSucceeds() throws Exception {
        Run r = runInProcess("--duration", "2", "--agent.workers=4", "--demo.update_rate=100", "--demo.routers=30");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("with 4 workers"), r.out());
        assertTrue(r.out().contains("in sync"), r.out());
        assertTrue(r.out().contains("invariants held"), r.out());
    }

    /**
     * Run as a real process with no duration, SIGTERM stops it through the
     * shutdown hook: the summary is still printed, after the agent stopped.
     */
    @Test
    void sigtermStopsAnEndlessRunWithItsSummary(@TempDir Path dir) throws Exception {
        Process p = startDemo(dir, "--duration", "0", "--agent.report_interval=0.2s");
        Path out = dir.resolve(OUT);
        Path err = dir.resolve(ERR);
        try {
            awaitLog(p, err, "report 2:");
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not stop the demo");
            String summary = read(out);
            assertTrue(summary.contains("invariants held"), summary + read(err));
            assertTrue(read(err).contains("stopping (signal)"), read(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Run as a real process, SIGHUP re-reads its --config-file: the mutable
     * demo.update_rate takes its new value, a changed immutable agent.workers
     * is logged and ignored, and a file that became invalid is reported and
     * changes nothing; the run then still ends cleanly on SIGTERM.
     */
    @Test
    void sighupReloadsTheConfigFile(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "demo { update_rate = 20 }\nagent { workers = 8 }\n");
        Process p = startDemo(dir, "--duration", "0", "--config-file", conf.toString());
        Path out = dir.resolve(OUT);
        Path err = dir.resolve(ERR);
        try {
            awaitLog(p, err, "plugin simulator started");
            Files.writeString(conf, "demo { update_rate = 5 }\nagent { workers = 3 }\n");
            hangUp(p);
            awaitLog(p, err, "5.0 changes/s from now on");
            assertTrue(read(err).contains("Ignoring change to immutable option agent.workers"), read(err));

            Files.writeString(conf, "demo { update_rate = -1 }\n");
            hangUp(p);
            awaitLog(p, err, "Reload failed");
            assertTrue(read(err).contains("demo.update_rate"), read(err));

            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not stop the demo");
            String summary = read(out);
            assertTrue(summary.contains("invariants held"), summary + read(err));
            assertTrue(summary.contains("with 8 workers"), "the immutable worker count changed: " + summary);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Starts the demo as a child JVM with {@code args}; its standard output and error go to files in {@code dir}. */
    private static Process startDemo(Path dir, String... args) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", classPath,
                // The demo's own logging setup (INFO progress lines), not the tests' quiet one.
                "-Dlogback.configurationFile=logback.xml", L3AgentMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(OUT).toFile())
                .redirectError(dir.resolve(ERR).toFile()).start();
    }

    private static void hangUp(Process p) throws Exception {
        // The shell's built-in kill: a minimal machine may have no kill binary.
        Process kill = new ProcessBuilder("sh", "-c", "kill -HUP " + p.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -HUP failed");
    }

    /** Waits (bounded) until the process has logged {@code text}, failing if it ends first. */
    private static void awaitLog(Process p, Path err, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!read(err).contains(text)) {
            assertTrue(p.isAlive(), "the demo ended early: " + read(err));
            assertTrue(System.nanoTime() < deadline, "the demo never logged '" + text + "': " + read(err));
            Thread.sleep(50);
        }
    }

    private static String read(Path file) throws IOException {
        File f = file.toFile();
        return f.exists() ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

}

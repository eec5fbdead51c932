package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's signals, sent with kill(1) to a real child JVM running {@link ServiceMain}. */
class ServiceSignalsTest {
    private static final String STARTED = "Launcher started 2 service instance(s)";

    @TempDir
    Path dir;

    /** SIGTERM stops every worker gracefully; the JVM exits 0 and its shutdown hooks run. */
    @Test
    void sigtermStopsGracefullyAndExitsZero() throws Exception {
        Process p = start();
        try {
            awaitLog(p, STARTED);
            kill(p, "TERM");
            assertEquals(0, exitStatus(p), log());
            String log = log();
            assertTrue(log.contains("SIGTERM: stopping 2 service instance(s) gracefully"), log);
            assertTrue(log.contains("worker 1 (Demo) stopped gracefully") && log.contains("worker 2 (Demo) stopped gracefully"),
                    log);
            assertTrue(log.contains("Launcher stopped with status 0"), log);
            assertTrue(log.contains("shutdown hook ran"), "the JVM's shutdown hooks did not run: " + log);
        } finally {
            p.destroyForcibly();
        }
    }

    /** SIGINT stops gracefully too, with exit status 0. */
    @Test
    void sigintStopsGracefully() throws Exception {
        Process p = start();
        try {
            awaitLog(p, STARTED);
            kill(p, "INT");
            assertEquals(0, exitStatus(p), log());
            assertTrue(log().contains("SIGINT: stopping 2 service instance(s) gracefully"), log());
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Every line a green thread logs while serving carries its own request id,
     * though the threads interleave; an RPC request's context request_id is in
     * the lines its serving green thread logs.
     */
    @Test
    void logLinesCarryTheRequestIdOfTheirGreenThread() throws Exception {
        Process p = start();
        try {
            awaitLog(p, "instance 2 served req-2-b");
            awaitLog(p, "instance 1 served req-1-b");
            String log = log();
            for (String id : List.of("req-1-a", "req-1-b", "req-2-a", "req-2-b")) {
                assertEquals(3, log.lines().filter(l -> l.contains("[" + id + "] ServiceMain - serving step")).count(), log);
            }
            assertTrue(log.lines().filter(l -> l.contains("serving step")).allMatch(l -> l.contains("[req-")), log);
            assertTrue(log.contains("[] ServiceMain - instance 1 served req-1-a"), log);
            // The RPC server puts the context's request_id into the MDC of the green thread it serves in.
            awaitLog(p, "[req-rpc-2] ServiceMain - rpc echo hello 2");
            awaitLog(p, "[req-rpc-1] ServiceMain - rpc echo hello 1");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Past service.graceful_shutdown_timeout the launcher logs what still runs, and the JVM exits non-zero. */
    @Test
    void shutdownTimeoutExitsNonZeroNamingWhatStillRuns() throws Exception {
        Process p = start("--stubborn", "--service.graceful_shutdown_timeout=1s");
        try {
            awaitLog(p, STARTED);
            long began = System.nanoTime();
            kill(p, "TERM");
            assertEquals(ServiceLauncher.EXIT_FAILURE, exitStatus(p), log());
            assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(15), "the timeout did not end the wait");
            String log = log();
            assertTrue(log.contains("Graceful shutdown timeout (1.000 s) exceeded; still running"), log);
            assertTrue(log.contains("worker 1 [STOPPING]") && log.contains("stubbornSleep"), log);
            assertTrue(log.contains("shutdown hook ran"), log);
        } finally {
            p.destroyForcibly();
        }
    }

    /** A second SIGTERM during the graceful wait stops at once: threads killed, exit non-zero, long before the timeout. */
    @Test
    void secondSigtermStopsAtOnce() throws Exception {
        Process p = start("--stubborn", "--service.graceful_shutdown_timeout=50s");
        try {
            awaitLog(p, STARTED);
            kill(p, "TERM");
            awaitLog(p, "gracefully (up to 50.000 s)");
            long began = System.nanoTime();
            kill(p, "TERM");
            assertEquals(ServiceLauncher.EXIT_FAILURE, exitStatus(p), log());
            assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(15), "the second TERM did not stop at once");
            String log = log();
            assertTrue(log.contains("SIGTERM during the graceful shutdown: stopping at once"), log);
            assertTrue(log.contains("worker 1 (Demo) stopped in") && log.contains("worker 2 (Demo) stopped in"), log);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * SIGHUP re-reads the config file and resets every worker; a file that
     * fails validation is logged, changes nothing and resets nothing; the
     * daemon then still stops cleanly on SIGTERM.
     */
    @Test
    void sighupReloadsAndResetsEveryWorker() throws Exception {
        Path conf = dir.resolve("service.conf");
        Files.writeString(conf, "service.graceful_shutdown_timeout = 5s\n");
        Process p = start("--config-file", conf.toString());
        try {
            awaitLog(p, STARTED);
            Files.writeString(conf, "service.graceful_shutdown_timeout = 3s\n");
            kill(p, "HUP");
            awaitLog(p, "instance 1 reset: graceful_shutdown_timeout = 3.0");
            awaitLog(p, "instance 2 reset: graceful_shutdown_timeout = 3.0");
            awaitLog(p, "Reloaded the configuration in");
            assertTrue(log().contains("Option service.graceful_shutdown_timeout changed from 5s to 3s"), log());

            Files.writeString(conf, "service.graceful_shutdown_timeout = -2s\n");
            kill(p, "HUP");
            awaitLog(p, "Reload failed");
            assertTrue(log().contains("service.graceful_shutdown_timeout"), log());
            kill(p, "TERM");
            assertEquals(0, exitStatus(p), log());
            assertEquals(2, log().lines().filter(l -> l.contains("reset: graceful_shutdown_timeout")).count(),
                    "a failed reload reset a service: " + log());
            assertTrue(log().contains("gracefully (up to 3.000 s)"), "the reloaded timeout was not used: " + log());
        } finally {
            p.destroyForcibly();
        }
    }

    /** SIGUSR2 logs a Guru Meditation Report: each worker hub's green threads, the OS threads, the configuration with secrets masked. */
    @Test
    void sigusr2LogsAReport() throws Exception {
        Process p = start("--stubborn", "--rpc.transport_url=rabbit://guest:topsecret@127.0.0.1:5672/");
        try {
            awaitLog(p, STARTED);
            kill(p, "USR2");
            awaitLog(p, "====  Configuration");
            String log = log();
            assertTrue(log.contains("Guru Meditation Report (SIGUSR2)"), log);
            assertTrue(log.contains("(worker 1 [RUNNING])") && log.contains("(worker 2 [RUNNING])"), log);
            assertTrue(log.contains("stubbornSleep"), "no green-thread stacks: " + log);
            assertTrue(log.contains("====  OS threads") && log.contains("\"main\""), log);
            assertTrue(log.contains("rpc.transport_url = ****"), log);
            assertTrue(log.contains("uptime = ") && log.contains("signals received = 1"), log);
            assertFalse(log.contains("topsecret"), "a secret reached the log");
            kill(p, "TERM");
            kill(p, "TERM");
            assertEquals(ServiceLauncher.EXIT_FAILURE, exitStatus(p), log());
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Under -Xrs the JVM keeps HUP, INT and TERM (and delivers no signal to
     * Java code): the launcher says so once and runs on; TERM then ends the
     * JVM the operating system's way.
     */
    @Test
    void underXrsItSaysSoOnceAndRunsOn() throws Exception {
        Process p = start(List.of("-Xrs"));
        try {
            awaitLog(p, STARTED);
            awaitLog(p, "instance 2 served req-2-b");
            awaitLog(p, "instance 1 served req-1-b");
            String log = log();
            assertTrue(log.contains("This JVM keeps [SIGTERM, SIGINT, SIGHUP] for itself"), log);
            assertEquals(1, log.lines().filter(l -> l.contains("keeps [SIGTERM")).count(), log);
            assertTrue(p.isAlive(), log);
            kill(p, "TERM");
            assertEquals(128 + 15, exitStatus(p), log());
        } finally {
            p.destroyForcibly();
        }
    }

    private Process start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** Starts ServiceMain in a child JVM; its standard error (the log) goes to a file. */
    private Process start(List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=service-main.xml",
                ServiceMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
    }

    private static void kill(Process p, String signal) throws Exception {
        // The shell's built-in kill: a minimal machine may have no kill binary.
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + p.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    private int exitStatus(Process p) throws Exception {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the daemon did not exit: " + log());
        return p.exitValue();
    }

    /** Waits (bounded) until the daemon has logged {@code text}, failing if it ends first. */
    private void awaitLog(Process p, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!log().contains(text)) {
            assertTrue(p.isAlive(), "the daemon ended early: " + log());
            assertTrue(System.nanoTime() < deadline, "the daemon never logged '" + text + "': " + log());
            Thread.sleep(20);
        }
    }

    private String log() throws IOException {
        Path err = dir.resolve("err.txt");
        return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
    }
}

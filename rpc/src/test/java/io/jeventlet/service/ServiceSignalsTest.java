package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's signals, sent with kill(1) to a real child JVM running
 * {@link ServiceMain}; {@link DaemonProcess} holds the steps each scenario
 * shares (wait for a line, signal, wait for the exit).
 */
class ServiceSignalsTest {
    private static final String STARTED = "Launcher started 2 service instance(s)";

    @TempDir
    Path dir;

    /** SIGTERM stops every worker gracefully; the JVM exits 0 and its shutdown hooks run. */
    @Test
    void sigtermStopsGracefullyAndExitsZero() throws Exception {
        try (DaemonProcess d = daemon()) {
            d.awaitLog(STARTED).signal("TERM");
            assertEquals(0, d.exitStatus(), d.log());
            String log = d.log();
            assertTrue(log.contains("SIGTERM: stopping 2 service instance(s) gracefully"), log);
            assertTrue(log.contains("worker 1 (Demo) stopped gracefully") && log.contains("worker 2 (Demo) stopped gracefully"),
                    log);
            assertTrue(log.contains("Launcher stopped with status 0"), log);
            assertTrue(log.contains("shutdown hook ran"), "the JVM's shutdown hooks did not run: " + log);
        }
    }

    /** SIGINT stops gracefully too, with exit status 0. */
    @Test
    void sigintStopsGracefully() throws Exception {
        try (DaemonProcess d = daemon()) {
            d.awaitLog(STARTED).signal("INT");
            assertEquals(0, d.exitStatus(), d.log());
            assertTrue(d.log().contains("SIGINT: stopping 2 service instance(s) gracefully"), d.log());
        }
    }

    /**
     * Every line a green thread logs while serving carries its own request id,
     * though the threads interleave; an RPC request's context request_id is in
     * the lines its serving green thread logs.
     */
    @Test
    void logLinesCarryTheRequestIdOfTheirGreenThread() throws Exception {
        try (DaemonProcess d = daemon()) {
            // Each of the four is awaited: the two threads of an instance may finish in either order.
            for (String id : List.of("req-1-a", "req-1-b", "req-2-a", "req-2-b")) {
                d.awaitLog(" served " + id);
            }
            String log = d.log();
            for (String id : List.of("req-1-a", "req-1-b", "req-2-a", "req-2-b")) {
                assertEquals(3, log.lines().filter(l -> l.contains("[" + id + "] ServiceMain - serving step")).count(), log);
            }
            assertTrue(log.lines().filter(l -> l.contains("serving step")).allMatch(l -> l.contains("[req-")), log);
            assertTrue(log.contains("[] ServiceMain - instance 1 served req-1-a"), log);
            // The RPC server puts the context's request_id into the MDC of the green thread it serves in.
            d.awaitLog("[req-rpc-2] ServiceMain - rpc echo hello 2").awaitLog("[req-rpc-1] ServiceMain - rpc echo hello 1");
        }
    }

    /** Past service.graceful_shutdown_timeout the launcher logs what still runs, and the JVM exits non-zero. */
    @Test
    void shutdownTimeoutExitsNonZeroNamingWhatStillRuns() throws Exception {
        try (DaemonProcess d = daemon("--stubborn", "--service.graceful_shutdown_timeout=1s")) {
            d.awaitLog(STARTED).signal("TERM");
            assertEquals(ServiceLauncher.EXIT_FAILURE, d.exitStatus(), d.log());
            assertTrue(d.secondsSinceSignal() < 15, "the timeout did not end the wait");
            String log = d.log();
            assertTrue(log.contains("Graceful shutdown timeout (1.000 s) exceeded; still running"), log);
            assertTrue(log.contains("worker 1 [STOPPING]") && log.contains("stubbornSleep"), log);
            assertTrue(log.contains("shutdown hook ran"), log);
        }
    }

    /** A second SIGTERM during the graceful wait stops at once: threads killed, exit non-zero, long before the timeout. */
    @Test
    void secondSigtermStopsAtOnce() throws Exception {
        try (DaemonProcess d = daemon("--stubborn", "--service.graceful_shutdown_timeout=50s")) {
            d.awaitLog(STARTED).signal("TERM").awaitLog("gracefully (up to 50.000 s)").signal("TERM");
            assertEquals(ServiceLauncher.EXIT_FAILURE, d.exitStatus(), d.log());
            assertTrue(d.secondsSinceSignal() < 15, "the second TERM did not stop at once");
            String log = d.log();
            assertTrue(log.contains("SIGTERM during the graceful shutdown: stopping at once"), log);
            assertTrue(log.contains("worker 1 (Demo) stopped in") && log.contains("worker 2 (Demo) stopped in"), log);
        }
    }

    /**
     * A second SIGINT (an operator's second Ctrl-C) exits at once, oslo's
     * fast exit: status 1, without waiting for the services to end.
     */
    @Test
    void secondSigintExitsAtOnce() throws Exception {
        try (DaemonProcess d = daemon("--stubborn", "--service.graceful_shutdown_timeout=50s")) {
            d.awaitLog(STARTED).signal("INT").awaitLog("gracefully (up to 50.000 s)").signal("INT");
            assertEquals(ServiceLauncher.EXIT_FAILURE, d.exitStatus(), d.log());
            assertTrue(d.secondsSinceSignal() < 5, "the second INT took " + d.secondsSinceSignal() + " s");
            assertTrue(d.log().contains("SIGINT during the graceful shutdown: killing the services and exiting at once"),
                    d.log());
        }
    }

    /**
     * SIGTERM while the service is still starting because its broker is
     * down (nothing listens at the URL's port) cancels the start: the daemon
     * exits 0 within a second of the signal, long before the grace ends. The
     * outage is logged at WARN at once and again every
     * rpc.outage_warning_interval, with its cause.
     */
    @Test
    void sigtermDuringABrokerOutageExitsZeroAtOnce() throws Exception {
        stopDuringOutage("rabbit://guest:guest@127.0.0.1:" + freePort() + "/", "cannot reach RabbitMQ",
                "still cannot reach RabbitMQ", "Connection refused");
    }

    /** As {@link #sigtermDuringABrokerOutageExitsZeroAtOnce()}, with zmq:// and no proxy at the URL. */
    @Test
    void sigtermDuringAProxyOutageExitsZeroAtOnce() throws Exception {
        stopDuringOutage("zmq://127.0.0.1:" + freePort(), "cannot reach a zmq proxy",
                "still cannot reach a zmq proxy", "the TCP connect fails");
    }

    private void stopDuringOutage(String url, String firstWarning, String laterWarning, String cause) throws Exception {
        try (DaemonProcess d = daemon("--workers", "1", "--on-bus", "--rpc.transport_url=" + url,
                "--rpc.outage_warning_interval=0.5s", "--rpc_zmq.connect_timeout=0.5s",
                "--service.graceful_shutdown_timeout=30s")) {
            d.awaitLog(" WARN ").awaitLog(laterWarning).signal("TERM");
            assertEquals(0, d.exitStatus(), d.log());
            String log = d.log();
            assertTrue(log.contains("worker 1 stopped while starting"), log);
            assertTrue(log.contains("Launcher stopped with status 0"), log);
            double stopSeconds = Double.parseDouble(log.replaceAll("(?s).*Launcher stopped with status 0 in ([0-9.]+) s.*", "$1"));
            assertTrue(stopSeconds < 1.0, "the stop took " + stopSeconds + " s:\n" + log);
            assertTrue(d.secondsSinceSignal() < 15, "the JVM exited " + d.secondsSinceSignal() + " s after TERM");
            String first = log.lines().filter(l -> l.contains(" WARN ")).findFirst().orElseThrow();
            assertTrue(first.contains(firstWarning) && first.contains(cause), "the first WARN: " + first + "\n" + log);
            assertTrue(log.lines().anyMatch(l -> l.contains(laterWarning) && l.contains(cause)), log);
        }
    }

    /** A port on 127.0.0.1 where nothing listens (just freed). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
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
        try (DaemonProcess d = daemon("--config-file", conf.toString())) {
            d.awaitLog(STARTED);
            Files.writeString(conf, "service.graceful_shutdown_timeout = 3s\n");
            d.signal("HUP").awaitLog("instance 1 reset: graceful_shutdown_timeout = 3.0")
                    .awaitLog("instance 2 reset: graceful_shutdown_timeout = 3.0").awaitLog("Reloaded the configuration in");
            assertTrue(d.log().contains("Option service.graceful_shutdown_timeout changed from 5s to 3s"), d.log());

            Files.writeString(conf, "service.graceful_shutdown_timeout = -2s\n");
            d.signal("HUP").awaitLog("Reload failed");
            assertTrue(d.log().contains("service.graceful_shutdown_timeout"), d.log());
            d.signal("TERM");
            assertEquals(0, d.exitStatus(), d.log());
            assertEquals(2, d.count("reset: graceful_shutdown_timeout"), "a failed reload reset a service: " + d.log());
            assertTrue(d.log().contains("gracefully (up to 3.000 s)"), "the reloaded timeout was not used: " + d.log());
        }
    }

    /** SIGUSR2 logs a Guru Meditation Report: each worker hub's green threads, the OS threads, the configuration with secrets masked. */
    @Test
    void sigusr2LogsAReport() throws Exception {
        try (DaemonProcess d = daemon("--stubborn", "--rpc.transport_url=rabbit://guest:topsecret@127.0.0.1:5672/")) {
            d.awaitLog(STARTED).signal("USR2").awaitLog("====  Configuration");
            String log = d.log();
            assertTrue(log.contains("Guru Meditation Report (SIGUSR2)"), log);
            assertTrue(log.contains("(worker 1 [RUNNING])") && log.contains("(worker 2 [RUNNING])"), log);
            assertTrue(log.contains("stubbornSleep"), "no green-thread stacks: " + log);
            assertTrue(log.contains("====  OS threads") && log.contains("\"main\""), log);
            assertTrue(log.contains("rpc.transport_url = ****"), log);
            assertTrue(log.contains("uptime = ") && log.contains("signals received = 1"), log);
            assertFalse(log.contains("topsecret"), "a secret reached the log");
            d.signal("TERM").awaitLog("gracefully (up to").signal("TERM");
            assertEquals(ServiceLauncher.EXIT_FAILURE, d.exitStatus(), d.log());
        }
    }

    /**
     * Under -Xrs the JVM keeps HUP, INT and TERM (and delivers no signal to
     * Java code): the launcher says so once and runs on; TERM then ends the
     * JVM the operating system's way.
     */
    @Test
    void underXrsItSaysSoOnceAndRunsOn() throws Exception {
        try (DaemonProcess d = DaemonProcess.start(dir, ServiceMain.class, List.of("-Xrs"), List.of())) {
            d.awaitLog(STARTED).awaitLog("instance 2 served req-2-b").awaitLog("instance 1 served req-1-b");
            String log = d.log();
            assertTrue(log.contains("This JVM keeps [SIGTERM, SIGINT, SIGHUP] for itself"), log);
            assertEquals(1, d.count("keeps [SIGTERM"), log);
            assertTrue(d.alive(), log);
            d.signal("TERM");
            assertEquals(128 + 15, d.exitStatus(), d.log());
        }
    }

    /**
     * A signal ignored when the process started (nohup's HUP) stays ignored,
     * as the JVM rules; the launcher says so once, naming it, and the others
     * still work: TERM stops the daemon with status 0.
     */
    @Test
    void aSignalIgnoredAtStartIsNamedOnce() throws Exception {
        try (DaemonProcess d = DaemonProcess.startIgnoring(List.of("HUP"), dir, ServiceMain.class, List.of())) {
            d.awaitLog(STARTED);
            assertEquals(1, d.count("[SIGHUP] was ignored when this process started"), d.log());
            d.signal("TERM");
            assertEquals(0, d.exitStatus(), d.log());
        }
    }

    private DaemonProcess daemon(String... args) {
        return DaemonProcess.start(dir, ServiceMain.class, List.of(), List.of(args));
    }
}

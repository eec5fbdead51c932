package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Type=notify} daemon as systemd sees it: {@link ServiceMain} in a
 * child JVM with {@code NOTIFY_SOCKET} naming a unix datagram socket the
 * test listens on, driven with real signals.
 */
class SystemdLauncherTest {
    @TempDir
    Path dir;

    /**
     * READY=1 comes once every service started (after its RPC server
     * serves); SIGHUP brings RELOADING=1 with MONOTONIC_USEC, then READY=1;
     * a reload that fails keeps the old configuration and says so in STATUS
     * with its READY=1; SIGTERM brings STOPPING=1.
     */
    @Test
    void readyReloadingAndStoppingAroundSignals() throws Exception {
        String address = dir.resolve("notify.sock").toString();
        Path conf = dir.resolve("service.conf");
        Files.writeString(conf, "service.graceful_shutdown_timeout = 5s\n");
        try (UnixDatagram listener = UnixDatagram.bind(address)) {
            Process p = start(Map.of("NOTIFY_SOCKET", address), "--config-file", conf.toString());
            try {
                String ready = next(listener, p);
                assertTrue(ready.startsWith("READY=1\nSTATUS=Running 2 service instance(s)"), ready);
                assertTrue(log().contains("Launcher started 2 service instance(s)"), "READY before the services started");

                Files.writeString(conf, "service.graceful_shutdown_timeout = 3s\n");
                kill(p, "HUP");
                String reloading = next(listener, p);
                assertTrue(reloading.startsWith("RELOADING=1\nMONOTONIC_USEC="), reloading);
                String reloaded = next(listener, p);
                assertTrue(reloaded.startsWith("READY=1\nSTATUS=Reloaded the configuration"), reloaded);

                Files.writeString(conf, "service.graceful_shutdown_timeout = -2s\n");
                kill(p, "HUP");
                assertTrue(next(listener, p).startsWith("RELOADING=1\n"));
                String failed = next(listener, p);
                assertTrue(failed.startsWith("READY=1\nSTATUS=Reload failed; the old configuration stays"), failed);

                kill(p, "TERM");
                String stopping = next(listener, p);
                assertTrue(stopping.startsWith("STOPPING=1\nSTATUS=SIGTERM"), stopping);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), log());
                assertEquals(0, p.exitValue(), log());
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** With the abstract form of NOTIFY_SOCKET and WATCHDOG_USEC, READY=1 then WATCHDOG=1 pings arrive. */
    @Test
    void abstractSocketAndWatchdog() throws Exception {
        String address = "@jeventlet-test-" + UUID.randomUUID();
        try (UnixDatagram listener = UnixDatagram.bind(address)) {
            Process p = start(Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "400000"));
            try {
                assertTrue(next(listener, p).startsWith("READY=1"));
                assertEquals("WATCHDOG=1", next(listener, p));
                assertEquals("WATCHDOG=1", next(listener, p));
                kill(p, "TERM");
                String s;
                do {
                    s = next(listener, p);
                } while (s.equals("WATCHDOG=1"));
                assertTrue(s.startsWith("STOPPING=1"), s);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), log());
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /**
     * log.log_config_append replaces the daemon's logging with a logback
     * file, and a SIGHUP reads that file again (its name unchanged): lines
     * after the reload carry the new pattern.
     */
    @Test
    void sighupReReadsTheLogConfigAppendFile() throws Exception {
        Path out = dir.resolve("appended.log");
        Path xml = dir.resolve("logging.xml");
        Files.writeString(xml, logback(out, "FIRST"));
        Path conf = dir.resolve("service.conf");
        Files.writeString(conf, "log.log_config_append = \"" + xml + "\"\n");
        String address = dir.resolve("notify.sock").toString();
        try (UnixDatagram listener = UnixDatagram.bind(address)) {
            Process p = start(Map.of("NOTIFY_SOCKET", address), "--config-file", conf.toString(), "--workers", "1");
            try {
                assertTrue(next(listener, p).startsWith("READY=1"));
                Files.writeString(xml, logback(out, "SECOND"));
                kill(p, "HUP");
                assertTrue(next(listener, p).startsWith("RELOADING=1"));
                assertTrue(next(listener, p).startsWith("READY=1"));
                kill(p, "TERM");
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), log());
                String text = Files.readString(out);
                assertTrue(text.contains("FIRST ") && text.contains("Launcher started 1 service instance(s)"), text);
                assertTrue(text.lines().anyMatch(l -> l.startsWith("SECOND ") && l.contains("stopping 1 service")),
                        "the reload did not read the file again: " + text);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static String logback(Path out, String tag) {
        return "<configuration>\n  <appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\">\n"
                + "    <file>" + out + "</file>\n    <encoder><pattern>" + tag + " %logger{0} - %msg%n</pattern></encoder>\n"
                + "  </appender>\n  <root level=\"WARN\"><appender-ref ref=\"F\"/></root>\n"
                + "  <logger name=\"io.jeventlet\" level=\"INFO\"/>\n</configuration>\n";
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        // Default signal handling whatever this JVM inherited (a background job ignores INT, nohup HUP).
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,QUIT,TERM,USR2"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=service-main.xml",
                ServiceMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private String next(UnixDatagram listener, Process p) throws Exception {
        byte[] d = listener.receive(30);
        assertTrue(d != null, "no notification within 30 s (alive: " + p.isAlive() + "): " + log());
        return new String(d, StandardCharsets.UTF_8);
    }

    private static void kill(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + p.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    private String log() throws IOException {
        Path err = dir.resolve("err.txt");
        return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
    }
}

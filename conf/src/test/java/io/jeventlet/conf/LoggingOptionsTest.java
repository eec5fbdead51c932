package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** The mixin's operator options: --dump-config, --debug, --log-file, the log group and request ids in log lines. */
class LoggingOptionsTest extends CommandLineFixture {

    /** A main that records whether its body ran past load(). */
    @Command(name = "demo", mixinStandardHelpOptions = true)
    static final class Demo extends DemoMain {
        private final Path dir;
        boolean ranOn;

        Demo(Path dir) {
            this.dir = dir;
        }

        @Override
        public Integer call() {
            conf = config.load(Fixtures.withBase(dir));
            ranOn = true;
            return 7;
        }
    }

    /** --dump-config prints every option's effective value with its source, masks secrets, and exits 0 without running the command. */
    @Test
    void dumpConfigPrintsMaskedValuesAndExitsZero() {
        Demo demo = new Demo(dir);
        int status = run(demo, "--dump-config", "--agent.workers=5", "--agent.password=hunter2");
        assertEquals(0, status, err.toString());
        assertFalse(demo.ranOn, "the command went on after --dump-config");
        String dump = out.toString();
        assertTrue(dump.contains("agent.workers = 5    # command line"), dump);
        assertTrue(dump.contains("agent.password = ****"), dump);
        assertFalse(dump.contains("hunter2"), "a secret was printed: " + dump);
        assertTrue(dump.contains("log.debug = false"), dump);
    }

    /** --debug sets log.debug, which lowers the root logger and the loggers configured at INFO to DEBUG. */
    @Test
    void debugFlagLowersLevels() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger conf = (Logger) LoggerFactory.getLogger("io.jeventlet.conf");
        try {
            Demo demo = new Demo(dir);
            assertEquals(7, run(demo, "--debug"), err.toString());
            assertEquals(Boolean.TRUE, demo.conf.get(LogOpts.DEBUG));
            assertEquals(Level.DEBUG, root.getLevel());
            assertEquals(Level.DEBUG, conf.getLevel());
        } finally {
            LogbackConfigurator.apply(false, null);
        }
        assertEquals(Level.WARN, root.getLevel(), "debug off did not restore the configured level");
        assertEquals(Level.INFO, conf.getLevel());
    }

    /** log.debug is mutable: a reload that turns it on lowers the levels, one that turns it off restores them. */
    @Test
    void reloadAppliesDebug() {
        Path file = write(dir, "log.conf", "log.debug = false");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ConfigOpts conf = Fixtures.withBase(dir).register(LogOpts.LOG).configFile(file).load();
        try {
            LoggingSetup.apply(conf);
            assertEquals(Level.WARN, root.getLevel());
            write(dir, "log.conf", "log.debug = true");
            conf.reload();
            assertEquals(Level.DEBUG, root.getLevel());
            write(dir, "log.conf", "log.debug = false");
            conf.reload();
            assertEquals(Level.WARN, root.getLevel());
        } finally {
            LogbackConfigurator.apply(false, null);
        }
    }

    /** An invalid log option value is a configuration error (exit 2) naming the option. */
    @Test
    void invalidLogOptionIsReported() {
        int status = run(new Demo(dir), "--log.debug=maybe");
        assertEquals(ConfigCommandLine.EXIT_INVALID, status);
        assertTrue(err.toString().contains("log.debug"), err.toString());
    }

    /**
     * Run as a real process, --log-file sends every line to the file (the
     * console gets none), with the main's pattern: the line logged while
     * request_id is in the MDC carries it; --debug adds DEBUG lines.
     */
    @Test
    void logFileGetsEveryLineWithTheRequestId() throws Exception {
        Path log = dir.resolve("main.log");
        Run r = runMain("--log-file", log.toString(), "--debug");
        assertEquals(0, r.status(), r.err());
        String text = Files.readString(log);
        assertTrue(text.contains("[req-7f3a] LoggingMain - serving a request"), text);
        assertTrue(text.contains("[] LoggingMain - done"), text);
        assertTrue(text.contains("DEBUG [] LoggingMain - a debug line"), text);
        assertFalse(r.err().contains("serving a request"), "the console still got lines: " + r.err());
    }

    /** Without --log-file the main logs to its console, with the request id, and without --debug no DEBUG line. */
    @Test
    void consoleLinesCarryTheRequestId() throws Exception {
        Run r = runMain();
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("[req-7f3a] LoggingMain - serving a request"), r.err());
        assertFalse(r.err().contains("a debug line"), r.err());
    }

    private record Run(int status, String err) {
    }

    private Run runMain(String... args) throws IOException, InterruptedException {
        write(dir, "base.conf", TestOpts.BASE);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=logging-main.xml",
                "-Dlogging.main.dir=" + dir, LoggingMain.class.getName()));
        cmd.addAll(List.of(args));
        Path errFile = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(errFile.toFile()).start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the main did not exit");
            return new Run(p.exitValue(), Files.readString(errFile));
        } finally {
            p.destroyForcibly();
        }
    }
}

package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** oslo.log's log_dir, use_json, default_log_levels and log_config_append; unknown groups of a config file. */
class LogOptionsTest extends CommandLineFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * With --use-json and --log-dir, a real main writes logging-main.log in
     * that directory, one JSON object a line with oslo.log's JSONFormatter
     * keys; the MDC is under context; an exception's stack is a list of lines.
     */
    @Test
    void jsonLinesInTheLogDirParseLineByLine() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Run r = runMain("--use-json", "--log-dir", logs.toString(), "--debug");
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(logs.resolve("logging-main.log"));
        assertTrue(lines.size() >= 3, lines.toString());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String line : lines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(line, Map.class);
            objects.add(m);
            for (String key : List.of("message", "name", "levelname", "levelno", "asctime", "created", "hostname",
                    "process", "thread_name", "context", "traceback")) {
                assertTrue(m.containsKey(key), key + " missing in " + line);
            }
        }
        Map<String, Object> serving = objects.stream().filter(m -> "serving a request".equals(m.get("message")))
                .findFirst().orElseThrow();
        assertEquals("INFO", serving.get("levelname"));
        assertEquals(20, serving.get("levelno"));
        assertEquals("io.jeventlet.conf.LoggingMain", serving.get("name"));
        assertEquals(Map.of("request_id", "req-7f3a"), serving.get("context"));
        assertNull(serving.get("traceback"));
        Map<String, Object> failed = objects.stream().filter(m -> "it failed".equals(m.get("message")))
                .findFirst().orElseThrow();
        assertEquals("WARNING", failed.get("levelname"));
        @SuppressWarnings("unchecked")
        List<String> traceback = (List<String>) failed.get("traceback");
        assertTrue(traceback.get(0).contains("IllegalStateException: on purpose"), traceback.toString());
        assertTrue(traceback.size() > 1, traceback.toString());
        assertTrue(objects.stream().anyMatch(m -> "DEBUG".equals(m.get("levelname"))), "--debug gave no DEBUG line");
        assertFalse(r.err().contains("serving a request"), "the console still got lines");
    }

    /** default_log_levels sets the libraries' loggers; a list given replaces the default one. */
    @Test
    void defaultLogLevelsSetTheirLoggers() {
        Path file = write(dir, "log.conf", "log.default_log_levels = [\"com.example.noisy=ERROR\", \"org.zeromq=DEBUG\"]");
        ConfigOpts conf = Fixtures.withBase(dir).register(LogOpts.LOG).configFile(file).load();
        Logger noisy = (Logger) LoggerFactory.getLogger("com.example.noisy");
        try {
            LogSettings s = LogSettings.of(conf);
            assertEquals(List.of("com.example.noisy=ERROR", "org.zeromq=DEBUG"), s.levels());
            resetConfigured();
            LogbackConfigurator.apply(s);
            assertEquals(Level.ERROR, noisy.getLevel());
        } finally {
            noisy.setLevel(null);
            ((Logger) LoggerFactory.getLogger("org.zeromq")).setLevel(null);
            resetConfigured();
        }
    }

    /** A malformed default_log_levels entry is named. */
    @Test
    void malformedLevelEntryIsNamed() {
        Path file = write(dir, "log.conf", "log.default_log_levels = [\"nolevel\"]");
        ConfigOpts conf = Fixtures.withBase(dir).register(LogOpts.LOG).configFile(file).load();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LogSettings.of(conf));
        assertTrue(e.getMessage().contains("'nolevel'") && e.getMessage().contains("logger=LEVEL"), e.getMessage());
    }

    /** log_dir without log_file names the file after the program; with a relative log_file, in the directory. */
    @Test
    void logDirResolvesTheFile() {
        Path file = write(dir, "log.conf", "log.log_dir = \"/var/log/x\"");
        ConfigOpts conf = Fixtures.withBase(dir).register(LogOpts.LOG).configFile(file).prog("my-agent").load();
        assertEquals(Path.of("/var/log/x/my-agent.log").toString(), LogSettings.of(conf).file());
        write(dir, "log.conf", "log.log_dir = \"/var/log/x\"\nlog.log_file = \"a.log\"");
        conf = Fixtures.withBase(dir).register(LogOpts.LOG).configFile(file).prog("my-agent").load();
        assertEquals(Path.of("/var/log/x/a.log").toString(), LogSettings.of(conf).file());
    }

    /**
     * log_config_append replaces the generated configuration with a logback
     * file, and a SIGHUP's reload re-reads that file though its name is unchanged.
     */
    @Test
    void logConfigAppendIsUsedAndReReadOnReload() throws Exception {
        Path out = dir.resolve("appended.log");
        Path xml = write(dir, "logback-extra.xml", logback(out, "INFO"));
        Path file = write(dir, "log.conf", "log.log_config_append = \"" + xml + "\"");
        ConfigOpts conf = Fixtures.withBase(dir).register(LogOpts.LOG).configFile(file).load();
        org.slf4j.Logger log = LoggerFactory.getLogger("io.jeventlet.conf.appended");
        try {
            LoggingSetup.apply(conf);
            log.info("first info");
            log.debug("first debug");
            write(dir, "logback-extra.xml", logback(out, "DEBUG"));
            conf.reload();
            LoggingSetup.reapply(conf); // what the service launcher does on SIGHUP
            log.debug("second debug");
            String text = Files.readString(out);
            assertTrue(text.contains("APPENDED first info"), text);
            assertFalse(text.contains("first debug"), text);
            assertTrue(text.contains("APPENDED second debug"), "the reload did not re-read the file: " + text);
        } finally {
            restoreTestLogging();
        }
    }

    /** An unknown group in a config file is a warning naming the file and line; the file still loads. */
    @Test
    void unknownGroupOfAConfigFileIsAWarningWithFileAndLine() {
        Path file = write(dir, "shared.conf", "agent.workers = 3\n\nagnet {\n  workers = 4\n}\n");
        Logger validator = (Logger) LoggerFactory.getLogger(OptionValidator.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        validator.addAppender(captured);
        try {
            ConfigOpts conf = Fixtures.withBase(dir).configFile(file).load();
            assertEquals(3, conf.get(TestOpts.WORKERS));
        } finally {
            validator.detachAppender(captured);
        }
        List<String> warnings = captured.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(file + ":3: unknown group 'agnet'"), warnings.get(0));
        assertTrue(warnings.get(0).contains("did you mean agent?"), warnings.get(0));
    }

    /** --help of a main and the generated sample configuration list the log options. */
    @Test
    void helpAndSampleListTheLogOptions() {
        String help = ConfigCommandLine.commandLine(new LoggingMain()).getUsageMessage();
        for (String option : List.of("--log-dir", "--use-json", "--log-config-append", "--log-file", "--debug")) {
            assertTrue(help.contains(option), option + " missing from --help: " + help);
        }
        java.io.StringWriter sample = new java.io.StringWriter();
        picocli.CommandLine generator = new picocli.CommandLine(new SampleConfigGenerator());
        generator.setOut(new java.io.PrintWriter(sample));
        assertEquals(0, generator.execute("--group", "log"));
        for (String key : List.of("log_dir", "use_json", "default_log_levels", "log_config_append")) {
            assertTrue(sample.toString().contains("# " + key + " = ") || sample.toString().contains(key),
                    key + " missing from the sample: " + sample);
        }
    }

    private static String logback(Path out, String level) {
        return "<configuration>\n  <appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\">\n"
                + "    <file>" + out + "</file>\n    <encoder><pattern>APPENDED %msg%n</pattern></encoder>\n"
                + "  </appender>\n  <root level=\"" + level + "\"><appender-ref ref=\"F\"/></root>\n</configuration>\n";
    }

    /** Puts the test run's own logback configuration back. */
    private static void restoreTestLogging() throws Exception {
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        new ch.qos.logback.classic.util.ContextInitializer(ctx).autoConfig();
        resetConfigured();
    }

    private static void resetConfigured() {
        LogbackConfigurator.forgetConfigured();
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
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(errFile.toFile()).start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the main did not exit");
            return new Run(p.exitValue(), Files.readString(errFile));
        } finally {
            p.destroyForcibly();
        }
    }
}

package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The picocli mixin: config files, --group.option values, help, usage errors and exit statuses. */
class ConfigCommandLineTest extends CommandLineFixture {

    /** A main as the project writes one. */
    @Command(name = "demo", mixinStandardHelpOptions = true)
    static final class Demo extends DemoMain {
        @Override
        public Integer call() {
            conf = config.load(Fixtures.isolated());
            return 0;
        }
    }

    /** --config-file (repeatable) and --group.option=value reach the configuration, the command line winning. */
    @Test
    void filesAndOptionValuesAreApplied() {
        Demo demo = new Demo();
        Path base = write(dir, "base.conf", TestOpts.BASE);
        Path one = write(dir, "one.conf", "agent.workers = 3\nagent.port = 3");
        int status = run(demo, "--config-file", base.toString(), "--config-file=" + one, "--agent.workers=5",
                "--agent.mode", "dvr");
        assertEquals(0, status, err.toString());
        assertEquals(5, demo.conf.get(TestOpts.WORKERS));
        assertEquals(3, demo.conf.get(TestOpts.PORT));
        assertEquals("dvr", demo.conf.get(TestOpts.MODE));
        assertEquals(ConfigLayer.COMMAND_LINE, demo.conf.layerOf(TestOpts.WORKERS));
    }

    /** --config-dir is passed through. */
    @Test
    void configDirIsApplied() {
        Demo demo = new Demo();
        write(dir.resolve("d"), "a.conf", TestOpts.BASE + "agent.workers = 2");
        assertEquals(0, run(demo, "--config-dir", dir.resolve("d").toString()), err.toString());
        assertEquals(2, demo.conf.get(TestOpts.WORKERS));
    }

    /** An invalid configuration exits with 2 and the full report on stderr, without a stack trace. */
    @Test
    void invalidConfigurationExitsWithTwoAndAReport() {
        Path file = write(dir, "agent.conf", "agent.workers = 0");
        int status = run(new Demo(), "--config-file", file.toString(), "--rpc.response_timeout=-5s");
        assertEquals(2, status);
        String report = err.toString();
        assertTrue(report.contains("Configuration is not valid (3 problems):"), report);
        assertTrue(report.contains("agent.workers = 0 in " + file + ":1 is not valid: must be >= 1"), report);
        assertTrue(report.contains("rpc.response_timeout = -5s in command line --rpc.response_timeout is not valid:"
                + " must be > 0"), report);
        assertFalse(report.contains("\tat "), report);
        assertFalse(report.contains("Exception"), report);
    }

    /** A mistyped option is a usage error (exit 2), not a silently ignored value. */
    @Test
    void unknownArgumentIsAUsageError() {
        int status = run(new Demo(), "--confg-file", "x.conf");
        assertEquals(2, status);
        assertTrue(err.toString().contains("Unknown option or argument: '--confg-file'"), err.toString());
        assertTrue(err.toString().contains("Usage: demo"), err.toString());
    }

    /** An option key with no value is a usage error. */
    @Test
    void optionWithoutValueIsAUsageError() {
        assertEquals(2, run(new Demo(), "--agent.workers"));
        assertTrue(err.toString().contains("Missing value for option '--agent.workers'"), err.toString());
    }

    /** --help exits 0 without loading anything, and documents the options and --group.option. */
    @Test
    void helpDocumentsTheOptions() {
        Demo demo = new Demo();
        assertEquals(0, run(demo, "--help"));
        assertNull(demo.conf);
        String usage = out.toString();
        assertTrue(usage.contains("--config-file=FILE"), usage);
        assertTrue(usage.contains("--config-dir=DIR"), usage);
        assertTrue(usage.contains("--<group>.<option>=<value>"), usage);
    }

    /** A command that only parses (no execute) still gets the --group.option values from the mixin. */
    @Test
    void parsingAloneCollectsOptionValues() {
        ConfigCommandLine options = new ConfigCommandLine();
        new CommandLine(new Object() {
            @Mixin
            ConfigCommandLine config = options;
        }).parseArgs("--rpc.response_timeout=5s");
        assertEquals(java.util.Map.of("rpc.response_timeout", "5s"), options.commandLineValues());
    }
}

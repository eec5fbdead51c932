package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.invalid;
import static io.jeventlet.conf.Fixtures.isolated;
import static io.jeventlet.conf.Fixtures.withBase;
import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is reported with key, place, value and rule, all problems at once. */
class ValidationTest {

    @TempDir
    Path dir;

    /** A bad value names the key, the file and line, the value and the rule, in one line. */
    @Test
    void badValueNamesKeyFileLineValueAndRule() {
        Path file = write(dir, "agent.conf", "# header\nrpc {\n  response_timeout = -5s\n}\n");
        ConfigValidationException e = invalid(withBase(dir).configFile(file));
        assertEquals(file + ":3", e.problems().getFirst().source());
        assertEquals("rpc.response_timeout = -5s in " + file + ":3 is not valid: must be > 0",
                e.problems().getFirst().message());
    }

    /** A wrong type in a file is reported with its rule. */
    @Test
    void wrongTypeInFile() {
        ConfigValidationException e = invalid(withBase(dir).configFile(write(dir, "a.conf", "agent.workers = lots")));
        assertTrue(e.getMessage().contains("agent.workers = lots in " + dir.resolve("a.conf") + ":1 is not valid:"
                + " must be an integer"), e.getMessage());
    }

    /** Every problem is reported together, not just the first. */
    @Test
    void allProblemsAreReportedTogether() {
        ConfigValidationException e = invalid(isolated().configFile(write(dir, "a.conf",
                "agent.workers = 0\nagent.port = 70000\nagent.wrokers = 3\n")));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Configuration is not valid (4 problems):"), e.getMessage());
        assertTrue(e.getMessage().contains("rpc.transport_url: is required"), e.getMessage());
    }

    /** An unknown key under a declared group is an error with a did-you-mean suggestion. */
    @Test
    void unknownKeySuggestsTheClosestOption() {
        ConfigValidationException e = invalid(withBase(dir).configFile(write(dir, "a.conf",
                "rpc.respnse_timeout = 5s")));
        assertEquals("rpc.respnse_timeout in " + dir.resolve("a.conf") + ":1: unknown option of group rpc;"
                + " did you mean rpc.response_timeout?", e.problems().getFirst().message());
    }

    /** Keys outside every declared group belong to other libraries and are left alone. */
    @Test
    void keysOfUndeclaredGroupsInFilesAreIgnored() {
        assertEquals(8, withBase(dir).configFile(write(dir, "a.conf", "akka.loglevel = DEBUG")).load()
                .get(TestOpts.WORKERS));
    }

    /** A missing required option says how to set it. */
    @Test
    void missingRequiredOption() {
        ConfigValidationException e = invalid(isolated());
        assertEquals("rpc.transport_url: is required but has no value; set it in a config file, as"
                + " JEVENTLET_RPC__TRANSPORT_URL or with --rpc.transport_url=<value>",
                e.problems().getFirst().message());
    }

    /** Malformed HOCON is reported with file and line, and the other files are still checked. */
    @Test
    void malformedHocon() {
        Path bad = write(dir, "bad.conf", "agent {\n  workers = 3\n  port = [1,\n");
        ConfigValidationException e = invalid(withBase(dir).configFile(bad)
                .configFile(write(dir, "other.conf", "agent.workers = 0")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().getFirst().source().startsWith(bad.toString() + ":"), e.getMessage());
        assertTrue(e.problems().getFirst().rule().startsWith("is not valid HOCON: "), e.getMessage());
        assertEquals("must be >= 1", e.problems().get(1).rule());
    }

    /** A missing config file is reported by name. */
    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.conf");
        ConfigValidationException e = invalid(withBase(dir).configFile(missing));
        assertEquals("--config-file " + missing + ": file not found", e.problems().getFirst().message());
    }

    /** A config file that cannot be read as a file is reported by name. */
    @Test
    void unreadableFile() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("a-directory.conf"));
        ConfigValidationException e = invalid(withBase(dir).configFile(directory));
        assertEquals("--config-file " + directory + ": is not a regular file", e.problems().getFirst().message());
    }

    /** A --config-dir that is not a directory is reported. */
    @Test
    void configDirThatIsNotADirectory() {
        Path file = write(dir, "plain.conf", "");
        assertEquals("--config-dir " + file + ": is not a directory",
                invalid(withBase(dir).configDir(file)).problems().getFirst().message());
    }

    /** -Dconfig.file naming a missing file is an error, not silently ignored. */
    @Test
    void missingSystemPropertyFile() {
        ConfigValidationException e = invalid(withBase(dir).systemProperties(Map.of("config.file", "/no/such.conf")));
        assertEquals("-Dconfig.file=/no/such.conf: file not found", e.problems().getFirst().message());
    }

    /** An environment variable with a bad value names the variable. */
    @Test
    void environmentVariableWithBadValue() {
        ConfigValidationException e = invalid(withBase(dir).environment(
                Map.of("JEVENTLET_RPC__RESPONSE_TIMEOUT", "abc")));
        assertEquals("rpc.response_timeout = abc in environment variable JEVENTLET_RPC__RESPONSE_TIMEOUT is not"
                + " valid: must be a duration (e.g. 5s, 100ms, 2m) or a number of seconds",
                e.problems().getFirst().message());
    }

    /** An environment variable for an unknown option or group is a typo, reported as such. */
    @Test
    void environmentVariableForUnknownOptionOrGroup() {
        ConfigValidationException e = invalid(withBase(dir).environment(Map.of(
                "JEVENTLET_AGENT__WORKRES", "3", "JEVENTLET_AGNET__WORKERS", "3")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("agnet in environment variable JEVENTLET_AGNET__WORKERS: unknown group;"
                + " declared groups are [agent, rpc]; did you mean agent?"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean agent.workers?"), e.getMessage());
    }

    /** A group key holding a scalar is reported instead of hiding its options. */
    @Test
    void groupThatIsNotAnObject() {
        ConfigValidationException e = invalid(isolated().configFile(write(dir, "a.conf", "rpc = 5")));
        assertEquals("must be an object holding the options of group rpc", e.problems().getFirst().rule());
    }

    /** An unresolvable substitution is reported, not thrown. */
    @Test
    void unresolvedSubstitution() {
        ConfigValidationException e = invalid(withBase(dir).configFile(write(dir, "a.conf",
                "agent.nickname = ${no.such.key}")));
        assertTrue(e.problems().getFirst().rule().startsWith("cannot be resolved"), e.getMessage());
    }

    /** The report has no stack trace: the cause is the input. */
    @Test
    void reportHasNoStackTrace() {
        assertEquals(0, invalid(isolated()).getStackTrace().length);
    }

    /** Did-you-mean only suggests names that are close. */
    @Test
    void suggestionsAreOnlyForCloseNames() {
        assertEquals("; did you mean workers?", OptionValidator.suggestion("wrokers", java.util.List.of("workers",
                "port"), ""));
        assertEquals("", OptionValidator.suggestion("completely_else", java.util.List.of("workers"), ""));
    }
}

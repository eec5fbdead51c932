package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.withBase;
import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An option's deprecated names are still read, with one warning naming the new key. */
class DeprecatedNamesTest {

    @TempDir
    Path dir;

    /** The old key is read and one warning names the new key, even across reloads. */
    @Test
    void oldKeyIsReadWithOneWarning() {
        try (Fixtures.LogCapture log = new Fixtures.LogCapture()) {
            ConfigOpts conf = withBase(dir).configFile(write(dir, "a.conf", "agent.old_report_interval = 5s")).load();
            assertEquals(5.0, conf.get(TestOpts.REPORT_INTERVAL));
            conf.reload();
            long warnings = log.messages().stream().filter(m -> m.contains("deprecated")).count();
            assertEquals(1, warnings, log.text());
            assertTrue(log.text().contains("Option agent.old_report_interval (" + dir.resolve("a.conf")
                    + ":1) is deprecated; use agent.report_interval instead"), log.text());
        }
    }

    /** The new key wins over the old one in the same layer. */
    @Test
    void newKeyWinsInTheSameLayer() {
        ConfigOpts conf = withBase(dir).configFile(write(dir, "a.conf",
                "agent.old_report_interval = 5s\nagent.report_interval = 7s")).load();
        assertEquals(7.0, conf.get(TestOpts.REPORT_INTERVAL));
    }

    /** An old key in a higher layer beats the new key in a lower one (reference default included). */
    @Test
    void oldKeyInAHigherLayerWins() {
        ConfigOpts conf = withBase(dir).configFile(write(dir, "a.conf", "agent.report_interval = 7s"))
                .commandLine("agent.old_report_interval", "9").load();
        assertEquals(9.0, conf.get(TestOpts.REPORT_INTERVAL));
    }

    /** A bad value under the old key is reported under the old key. */
    @Test
    void badValueUnderOldKeyNamesTheOldKey() {
        ConfigValidationException e = Fixtures.invalid(withBase(dir).commandLine("agent.old_report_interval", "0"));
        assertEquals("agent.old_report_interval", e.problems().getFirst().key());
        assertEquals("must be >= 1", e.problems().getFirst().rule());
    }
}

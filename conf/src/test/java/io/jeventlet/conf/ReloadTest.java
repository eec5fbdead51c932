package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.withBase;
import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reload(): mutable options change, immutable ones do not, invalid files change nothing. */
class ReloadTest {

    @TempDir
    Path dir;

    /** A changed mutable option takes its new value, and hooks receive {key: (old, new)}. */
    @Test
    void mutableChangeIsAppliedAndHooksGetTheDiff() {
        Path file = write(dir, "agent.conf", "agent.workers = 4");
        ConfigOpts conf = withBase(dir).configFile(file).load();
        List<Map<String, ConfigChange>> seen = new ArrayList<>();
        conf.addReloadHook(seen::add);
        write(dir, "agent.conf", "agent.workers = 6\nagent.report_interval = 10s");
        Map<String, ConfigChange> diff = conf.reload();
        assertEquals(6, conf.get(TestOpts.WORKERS));
        assertEquals(10.0, conf.get(TestOpts.REPORT_INTERVAL));
        assertEquals(Map.of("agent.workers", new ConfigChange(4, 6),
                "agent.report_interval", new ConfigChange(30.0, 10.0)), diff);
        assertEquals(List.of(diff), seen);
        assertTrue(conf.sourceOf(TestOpts.REPORT_INTERVAL).endsWith("agent.conf:2"));
    }

    /** A changed immutable option keeps its old value and logs that the change was ignored. */
    @Test
    void immutableChangeIsIgnoredWithAWarning() {
        Path file = write(dir, "agent.conf", "agent.port = 1000");
        ConfigOpts conf = withBase(dir).configFile(file).load();
        write(dir, "agent.conf", "agent.port = 2000\nagent.workers = 9");
        try (Fixtures.LogCapture log = new Fixtures.LogCapture()) {
            Map<String, ConfigChange> diff = conf.reload();
            assertEquals(1000, conf.get(TestOpts.PORT));
            assertEquals(Map.of("agent.workers", new ConfigChange(8, 9)), diff);
            assertTrue(log.messages().contains("Ignoring change to immutable option agent.port"), log.text());
        }
    }

    /** A reload whose files are now invalid changes nothing and says why. */
    @Test
    void invalidReloadChangesNothing() {
        Path file = write(dir, "agent.conf", "agent.workers = 4");
        ConfigOpts conf = withBase(dir).configFile(file).load();
        List<Map<String, ConfigChange>> seen = new ArrayList<>();
        conf.addReloadHook(seen::add);
        write(dir, "agent.conf", "agent.workers = 5\nagent.debug = perhaps");
        ConfigValidationException e = assertThrows(ConfigValidationException.class, conf::reload);
        assertTrue(e.getMessage().startsWith("Reload failed, configuration unchanged (1 problem):"), e.getMessage());
        assertTrue(e.getMessage().contains("agent.debug = perhaps"), e.getMessage());
        assertEquals(4, conf.get(TestOpts.WORKERS));
        assertEquals(List.of(), seen);
    }

    /** A malformed file on reload changes nothing either. */
    @Test
    void malformedReloadChangesNothing() {
        Path file = write(dir, "agent.conf", "agent.workers = 4");
        ConfigOpts conf = withBase(dir).configFile(file).load();
        write(dir, "agent.conf", "agent.workers = 5\nagent {");
        assertThrows(ConfigValidationException.class, conf::reload);
        assertEquals(4, conf.get(TestOpts.WORKERS));
    }

    /** A reload with no change calls no hook and returns an empty diff. */
    @Test
    void unchangedReloadCallsNoHook() {
        ConfigOpts conf = withBase(dir).load();
        List<Map<String, ConfigChange>> seen = new ArrayList<>();
        conf.addReloadHook(seen::add);
        assertEquals(Map.of(), conf.reload());
        assertEquals(List.of(), seen);
    }

    /** A failing hook is logged and does not stop the next hook. */
    @Test
    void failingHookDoesNotStopOthers() {
        Path file = write(dir, "agent.conf", "agent.workers = 4");
        ConfigOpts conf = withBase(dir).configFile(file).load();
        List<Map<String, ConfigChange>> seen = new ArrayList<>();
        conf.addReloadHook(diff -> {
            throw new IllegalStateException("hook broke");
        });
        conf.addReloadHook(seen::add);
        write(dir, "agent.conf", "agent.workers = 5");
        try (Fixtures.LogCapture log = new Fixtures.LogCapture()) {
            conf.reload();
            assertTrue(log.text().contains("Reload hook"), log.text());
        }
        assertEquals(1, seen.size());
    }

    /** A new file in a --config-dir is picked up by reload. */
    @Test
    void reloadRereadsConfigDir() {
        Path confDir = dir.resolve("conf.d");
        write(confDir, "10.conf", "agent.workers = 4");
        ConfigOpts conf = withBase(dir).configDir(confDir).load();
        write(confDir, "20.conf", "agent.workers = 7");
        conf.reload();
        assertEquals(7, conf.get(TestOpts.WORKERS));
    }
}

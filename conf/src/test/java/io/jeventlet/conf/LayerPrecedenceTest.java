package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.isolated;
import static io.jeventlet.conf.Fixtures.withBase;
import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each layer overrides the ones below it, in the documented order. */
class LayerPrecedenceTest {

    @TempDir
    Path dir;

    /** A class loader that sees the test reference.conf and an application.conf with {@code text}. */
    private ClassLoader withApplicationConf(String text) throws Exception {
        Path root = dir.resolve("classpath");
        write(root, "application.conf", text);
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader());
    }

    /** application.conf overrides reference.conf. */
    @Test
    void applicationOverridesReference() throws Exception {
        ConfigOpts conf = withBase(dir).classLoader(withApplicationConf("agent.workers = 10")).load();
        assertEquals(10, conf.get(TestOpts.WORKERS));
        assertEquals(ConfigLayer.APPLICATION, conf.layerOf(TestOpts.WORKERS));
        assertEquals(ConfigLayer.REFERENCE, conf.layerOf(TestOpts.PORT));
    }

    /** -Dconfig.file replaces application.conf, as in typesafe-config. */
    @Test
    void configFileSystemPropertyReplacesApplicationConf() throws Exception {
        Path file = write(dir, "system.conf", TestOpts.BASE + "agent.port = 1234");
        ConfigOpts conf = isolated().classLoader(withApplicationConf("agent.workers = 10"))
                .systemProperties(Map.of("config.file", file.toString())).load();
        assertEquals(1234, conf.get(TestOpts.PORT));
        assertEquals(8, conf.get(TestOpts.WORKERS));
        assertEquals(ConfigLayer.APPLICATION, conf.layerOf(TestOpts.PORT));
    }

    /** A --config-file overrides application.conf, and a later file overrides an earlier one. */
    @Test
    void laterConfigFileWins() throws Exception {
        ConfigOpts conf = withBase(dir).classLoader(withApplicationConf("agent.workers = 10"))
                .configFile(write(dir, "one.conf", "agent.workers = 11\nagent.port = 1"))
                .configFile(write(dir, "two.conf", "agent.workers = 12")).load();
        assertEquals(12, conf.get(TestOpts.WORKERS));
        assertEquals(1, conf.get(TestOpts.PORT));
        assertTrue(conf.sourceOf(TestOpts.WORKERS).endsWith("two.conf:1"), conf.sourceOf(TestOpts.WORKERS));
    }

    /** A --config-dir's *.conf files are read in name order, after every --config-file; other files are ignored. */
    @Test
    void configDirIsReadSortedAfterConfigFiles() {
        Path confDir = dir.resolve("conf.d");
        write(confDir, "20-late.conf", "agent.workers = 20");
        write(confDir, "10-early.conf", "agent.workers = 10\nagent.port = 10");
        write(confDir, "99-ignored.txt", "agent.workers = 99");
        ConfigOpts conf = withBase(dir).configDir(confDir)
                .configFile(write(dir, "file.conf", "agent.workers = 5\nagent.port = 5\nagent.ratio = 0.1")).load();
        assertEquals(20, conf.get(TestOpts.WORKERS));
        assertEquals(10, conf.get(TestOpts.PORT));
        assertEquals(0.1, conf.get(TestOpts.RATIO));
    }

    /** JEVENTLET_<GROUP>__<OPTION> overrides config files; unrelated JEVENTLET_ variables are ignored. */
    @Test
    void environmentOverridesFiles() {
        ConfigOpts conf = withBase(dir).configFile(write(dir, "a.conf", "agent.workers = 5"))
                .environment(Map.of("JEVENTLET_AGENT__WORKERS", "6", "JEVENTLET_HOME", "/opt/x")).load();
        assertEquals(6, conf.get(TestOpts.WORKERS));
        assertEquals(ConfigLayer.ENVIRONMENT, conf.layerOf(TestOpts.WORKERS));
        assertEquals("environment variable JEVENTLET_AGENT__WORKERS", conf.sourceOf(TestOpts.WORKERS));
    }

    /** The command line overrides the environment. */
    @Test
    void commandLineOverridesEnvironment() {
        ConfigOpts conf = withBase(dir).environment(Map.of("JEVENTLET_AGENT__WORKERS", "6"))
                .commandLine("agent.workers", "7").load();
        assertEquals(7, conf.get(TestOpts.WORKERS));
        assertEquals(ConfigLayer.COMMAND_LINE, conf.layerOf(TestOpts.WORKERS));
    }

    /** Programmatic overrides beat every other layer. */
    @Test
    void overrideBeatsEverything() {
        ConfigOpts conf = withBase(dir).environment(Map.of("JEVENTLET_AGENT__WORKERS", "6"))
                .commandLine("agent.workers", "7").override(TestOpts.WORKERS, 9)
                .override(TestOpts.RESPONSE_TIMEOUT, 1.5).override(TestOpts.LEVEL, TestOpts.Level.DEBUG).load();
        assertEquals(9, conf.get(TestOpts.WORKERS));
        assertEquals(1.5, conf.get(TestOpts.RESPONSE_TIMEOUT));
        assertEquals(TestOpts.Level.DEBUG, conf.get(TestOpts.LEVEL));
        assertEquals(ConfigLayer.OVERRIDE, conf.layerOf(TestOpts.WORKERS));
    }

    /** Substitutions resolve across layers: a file may refer to a reference default. */
    @Test
    void substitutionsResolveAcrossLayers() {
        ConfigOpts conf = withBase(dir).configFile(write(dir, "a.conf", "agent.nickname = ${agent.mode}-node")).load();
        assertEquals("legacy-node", conf.get(TestOpts.NICKNAME));
    }

    /** Groups listed by an OptGroupProvider service are registered without being named in code. */
    @Test
    void providersAreDiscovered() throws Exception {
        Path root = dir.resolve("spi");
        write(root, "META-INF/services/io.jeventlet.conf.OptGroupProvider", TestProvider.class.getName() + "\n");
        ClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader());
        ConfigOpts conf = ConfigOpts.builder().classLoader(loader).systemProperties(Map.of()).environment(Map.of())
                .configFile(write(dir, "base.conf", TestOpts.BASE)).load();
        assertEquals(8, conf.get(TestOpts.WORKERS));
        assertEquals(2, conf.groups().size());
    }

    /** The provider used by {@link #providersAreDiscovered}. */
    public static final class TestProvider implements OptGroupProvider {
        @Override
        public java.util.List<OptGroup> groups() {
            return java.util.List.of(TestOpts.AGENT, TestOpts.RPC);
        }
    }
}

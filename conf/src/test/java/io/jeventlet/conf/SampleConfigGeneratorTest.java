package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.isolated;
import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sample config: what it documents, and that it parses back as the defaults. */
class SampleConfigGeneratorTest {

    @TempDir
    Path dir;

    private static String sample() {
        Config reference = ConfigFactory.parseResources(SampleConfigGeneratorTest.class.getClassLoader(),
                "reference.conf");
        return SampleConfigGenerator.generate(List.of(TestOpts.AGENT, TestOpts.RPC), reference);
    }

    /** Each option shows its help, type, default, range, flags, deprecated names and environment variable. */
    @Test
    void sampleDocumentsEachOption() {
        String sample = sample();
        assertTrue(sample.contains("""
                # The agent's own settings.
                agent {

                  # Seconds between two state reports to the server.
                  # Type: duration
                  # Allowed: >= 1
                  # Flags: mutable (reloaded on SIGHUP)
                  # Deprecated names: agent.old_report_interval
                  # Environment: JEVENTLET_AGENT__REPORT_INTERVAL
                  #report_interval = "30s"
                """), sample);
        assertTrue(sample.contains("# Allowed: >= 1, <= 64\n"), sample);
        assertTrue(sample.contains("# Allowed: one of [debug, info, warning]\n"), sample);
        assertTrue(sample.contains("# Flags: required, immutable (needs a restart)\n  # Environment:"
                + " JEVENTLET_RPC__TRANSPORT_URL\n  #transport_url = null\n"), sample);
        assertTrue(sample.contains("# Allowed: > 0\n"), sample);
    }

    /** The sample as written parses with no error. */
    @Test
    void sampleParsesAsIs() {
        Path file = write(dir, "sample.conf", sample());
        assertEquals(8, isolated().configFile(file).configFile(write(dir, "base.conf", TestOpts.BASE)).load()
                .get(TestOpts.WORKERS));
    }

    /** Uncommenting every option line gives valid HOCON that sets every default again. */
    @Test
    void uncommentedSampleValidatesAsTheDefaults() {
        String uncommented = sample().replaceAll("(?m)^  #(\\w+ = )", "  $1");
        Path file = write(dir, "uncommented.conf", uncommented);
        ConfigOpts conf = isolated().configFile(file).configFile(write(dir, "base.conf", TestOpts.BASE)).load();
        assertEquals(30.0, conf.get(TestOpts.REPORT_INTERVAL));
        assertEquals(64 * 1024L, conf.get(TestOpts.BUFFER));
        assertEquals(List.of("a", "b"), conf.get(TestOpts.PLUGINS));
        assertEquals(java.util.Map.of("zone", "z1"), conf.get(TestOpts.LABELS));
        assertEquals(TestOpts.Level.INFO, conf.get(TestOpts.LEVEL));
        assertEquals(ConfigLayer.CONFIG_FILE, conf.layerOf(TestOpts.WORKERS));
    }

    /** The command writes the sample of the discovered groups to --output-file. */
    @Test
    void commandWritesDiscoveredGroupsToAFile() throws Exception {
        Path root = dir.resolve("spi");
        write(root, "META-INF/services/io.jeventlet.conf.OptGroupProvider",
                LayerPrecedenceTest.TestProvider.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(new URLClassLoader(new URL[] {root.toUri().toURL()}, saved));
        try {
            Path output = dir.resolve("out.conf");
            int status = new CommandLine(new SampleConfigGenerator()).execute("--output-file", output.toString(),
                    "--group", "rpc");
            assertEquals(0, status);
            String written = Files.readString(output);
            assertTrue(written.contains("rpc {"), written);
            assertTrue(!written.contains("agent {"), written);
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    /** An unknown --group is a usage error with a suggestion. */
    @Test
    void unknownGroupIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new SampleConfigGenerator());
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(2, commandLine.execute("--group", "nope"));
        assertTrue(err.toString().contains("Unknown group 'nope'"), err.toString());
    }
}

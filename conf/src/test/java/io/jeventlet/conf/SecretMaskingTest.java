package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.invalid;
import static io.jeventlet.conf.Fixtures.withBase;
import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret's value appears in no output: logs, reports, reload messages, samples. */
class SecretMaskingTest {

    @TempDir
    Path dir;

    /** logOptions shows every option with its layer, and a secret as ****. */
    @Test
    void logOptionsMasksSecretsAndNamesLayers() {
        Path file = write(dir, "agent.conf", "agent.password = \"hunter2\"\nagent.workers = 3");
        ConfigOpts conf = withBase(dir).configFile(file).environment(Map.of("JEVENTLET_AGENT__PORT", "7")).load();
        try (Fixtures.LogCapture log = new Fixtures.LogCapture()) {
            conf.logOptions();
            String text = log.text();
            assertFalse(text.contains("hunter2"), text);
            assertTrue(text.contains("agent.password = ****  [config file] " + file + ":1"), text);
            assertTrue(text.contains("agent.workers = 3  [config file] " + file + ":2"), text);
            assertTrue(text.contains("agent.port = 7  [environment] environment variable JEVENTLET_AGENT__PORT"), text);
            assertTrue(text.matches("(?s).*agent\\.report_interval = 30s  \\[reference\\.conf\\] \\S*reference\\.conf:3\n.*"),
                    text);
            assertTrue(text.contains("agent.nickname = <none>  [unset]"), text);
        }
    }

    /** An invalid secret is reported with its value masked. */
    @Test
    void validationReportMasksSecrets() {
        ConfigValidationException e = invalid(withBase(dir).configFile(write(dir, "a.conf",
                "agent.password { hunter2 = 1 }")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("agent.password = **** in"), e.getMessage());
    }

    /** A reload that changes a secret logs the change masked; the hook gets the real values. */
    @Test
    void reloadLogMasksSecrets() {
        Path file = write(dir, "agent.conf", "agent.password = old-secret");
        ConfigOpts conf = withBase(dir).configFile(file).load();
        write(dir, "agent.conf", "agent.password = new-secret");
        try (Fixtures.LogCapture log = new Fixtures.LogCapture()) {
            Map<String, ConfigChange> diff = conf.reload();
            assertFalse(log.text().contains("secret"), log.text());
            assertTrue(log.text().contains("Option agent.password changed from **** to ****"), log.text());
            assertEquals(new ConfigChange("old-secret", "new-secret"), diff.get("agent.password"));
        }
    }

    /** The sample shows a secret's default as ****. */
    @Test
    void sampleMasksSecretDefaults() {
        String sample = SampleConfigGenerator.generate(List.of(TestOpts.AGENT),
                ConfigFactory.parseResources(getClass().getClassLoader(), "reference.conf"));
        assertFalse(sample.contains("s3cret-default"), sample);
        assertTrue(sample.contains("#password = \"****\""), sample);
    }

    /** display() masks a secret and formats other values by type. */
    @Test
    void displayMasksOnlySecrets() {
        assertEquals("****", ConfigOpts.display(TestOpts.PASSWORD, "x"));
        assertEquals("0.25s", ConfigOpts.display(TestOpts.REPORT_INTERVAL, 0.25));
    }
}

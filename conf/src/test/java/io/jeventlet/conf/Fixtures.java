package io.jeventlet.conf;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Shared helpers: isolated builders, config files and log capture. */
final class Fixtures {

    private Fixtures() {
    }

    /** A builder for the test groups that reads nothing from the process (no sysprops, no env). */
    static ConfigOpts.Builder isolated() {
        return ConfigOpts.builder().register(TestOpts.AGENT, TestOpts.RPC).discoverGroups(false)
                .systemProperties(Map.of()).environment(Map.of());
    }

    /** As {@link #isolated()}, with a first config file that sets the required transport_url. */
    static ConfigOpts.Builder withBase(Path dir) {
        return isolated().configFile(write(dir, "base.conf", TestOpts.BASE));
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigValidationException invalid(ConfigOpts.Builder builder) {
        return org.junit.jupiter.api.Assertions.assertThrows(ConfigValidationException.class, builder::load);
    }

    /** Collects the log events of the conf package while open. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("io.jeventlet.conf");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            logger.addAppender(appender);
        }

        List<String> messages() {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        String text() {
            return String.join("\n", messages());
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}

package io.jeventlet.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger writes (at INFO and above), for tests that assert on log lines. Close it to detach. */
final class LogLines implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogLines(Class<?> loggerOf) {
        logger = (Logger) LoggerFactory.getLogger(loggerOf);
        previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        appender.start();
        logger.addAppender(appender);
    }

    /** "LEVEL message | first line of the throwable" for each record so far. */
    List<String> lines() {
        synchronized (appender) {
            return appender.list.stream()
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()
                            + (e.getThrowableProxy() != null ? " | " + e.getThrowableProxy().getMessage() : ""))
                    .toList();
        }
    }

    /** The lines at ERROR. */
    List<String> errors() {
        return lines().stream().filter(l -> l.startsWith("ERROR")).toList();
    }

    /** All lines as one text. */
    String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}

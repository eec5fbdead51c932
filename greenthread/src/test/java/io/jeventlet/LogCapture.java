package io.jeventlet;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger writes, for tests that assert on log lines. Close it to detach (and to restore the
 * logger's level when one was given).
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final boolean levelSet;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** Captures at the logger's configured level. */
    public LogCapture(Class<?> loggerOf) {
        this(loggerOf, null);
    }

    /**
     * Captures at {@code level} and above while open, whatever the test logging configuration says (it may
     * silence the logger), or at the configured level when {@code level} is null.
     */
    public LogCapture(Class<?> loggerOf, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerOf);
        previous = logger.getLevel();
        levelSet = level != null;
        if (levelSet) {
            logger.setLevel(level);
        }
        appender.start();
        logger.addAppender(appender);
    }

    /** Formatted messages so far, with the first line of an attached throwable. */
    public List<String> lines() {
        // the appender appends under its own lock
        synchronized (appender) {
            return appender.list.stream()
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()
                            + (e.getThrowableProxy() != null ? " | " + e.getThrowableProxy().getMessage() : ""))
                    .collect(Collectors.toList());
        }
    }

    /**
     * As {@link #lines()}, with each line's MDC ({@code mdc={...}}) and the
     * attached throwable's class: {@code LEVEL message mdc={...} | Class: message}.
     */
    public List<String> detailedLines() {
        synchronized (appender) {
            return appender.list.stream()
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage() + " mdc=" + e.getMDCPropertyMap()
                            + (e.getThrowableProxy() != null ? " | " + e.getThrowableProxy().getClassName() + ": "
                                    + e.getThrowableProxy().getMessage() : ""))
                    .collect(Collectors.toList());
        }
    }

    /** How many lines contain {@code text}. */
    public long count(String text) {
        return lines().stream().filter(l -> l.contains(text)).count();
    }

    /** The lines at ERROR. */
    public List<String> errors() {
        return lines().stream().filter(l -> l.startsWith("ERROR")).toList();
    }

    /** All lines as one text. */
    public String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        if (levelSet) {
            logger.setLevel(previous);
        }
    }
}

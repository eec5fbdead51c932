package io.jeventlet.conf;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The logback side of {@link LoggingSetup}; loaded only when the SLF4J
 * backend is logback (see there).
 *
 * <p>What it does, as oslo.log does: debug lowers the root logger to DEBUG,
 * and every logger the main's logback configuration set to INFO (the
 * project's own packages, typically) to DEBUG too, while loggers set to WARN
 * or above (noisy libraries, oslo's {@code default_log_levels}) stay; debug
 * off restores the levels the configuration had. A log file gets a file
 * appender on the root logger with the console appender's pattern (or
 * {@link #DEFAULT_PATTERN}), and the console appenders are detached from the
 * root, so the file gets every line and the console none (oslo.log's
 * default {@code use_stderr = False}).
 *
 * <p>Thread-safe: serialized on the class.
 */
final class LogbackConfigurator {
    /** The pattern of a log file when the console's cannot be reused: with the request id, as the mains' own. */
    static final String DEFAULT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] [%X{request_id}] %logger{36}"
            + " - %msg%n";

    /** The levels the configuration set, by logger name, recorded on the first apply. */
    private static Map<String, Level> configured;
    private static FileAppender<ILoggingEvent> fileAppender;

    private LogbackConfigurator() {
    }

    static synchronized void apply(boolean debug, String file) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (configured == null) {
            configured = new HashMap<>();
            for (Logger l : ctx.getLoggerList()) {
                if (l.getLevel() != null) {
                    configured.put(l.getName(), l.getLevel());
                }
            }
        }
        for (Map.Entry<String, Level> e : configured.entrySet()) {
            Logger l = ctx.getLogger(e.getKey());
            boolean lower = debug && (l.getName().equals(Logger.ROOT_LOGGER_NAME)
                    || e.getValue().toInt() <= Level.INFO.toInt());
            l.setLevel(lower ? Level.DEBUG : e.getValue());
        }
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        if (debug && root.getLevel() != Level.DEBUG) {
            root.setLevel(Level.DEBUG);
        }
        if (file != null && fileAppender == null) {
            toFile(ctx, root, file);
        }
    }

    private static void toFile(LoggerContext ctx, Logger root, String file) {
        String pattern = DEFAULT_PATTERN;
        List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            if (a instanceof ConsoleAppender<ILoggingEvent> console) {
                consoles.add(console);
                if (pattern == DEFAULT_PATTERN && console.getEncoder() instanceof PatternLayoutEncoder enc) {
                    pattern = enc.getPattern();
                }
            }
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(pattern);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(ctx);
        appender.setName("log_file");
        appender.setFile(file);
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalArgumentException("log.log_file = " + file + " cannot be opened for writing");
        }
        root.addAppender(appender);
        for (Appender<ILoggingEvent> console : consoles) {
            root.detachAppender(console);
        }
        fileAppender = appender;
    }
}

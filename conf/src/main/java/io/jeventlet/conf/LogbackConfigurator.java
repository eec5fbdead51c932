package io.jeventlet.conf;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.File;
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
 * <p>What it does, as oslo.log does: {@code log_config_append} replaces
 * everything — the context is reset and configured from that logback file
 * alone. Otherwise, on the main's own configuration: the
 * {@code default_log_levels} entries set their loggers' levels; debug lowers
 * the root logger to DEBUG, and every logger the configuration set to INFO
 * (the project's own packages, typically) to DEBUG too, while loggers set to
 * WARN or above (noisy libraries, the default levels) stay; debug off
 * restores the levels the configuration had. A log file gets a file appender
 * on the root logger with the console appender's pattern (or
 * {@link #DEFAULT_PATTERN}), and the console appenders are detached from the
 * root, so the file gets every line and the console none (oslo.log's default
 * {@code use_stderr = False}). {@code use_json} gives the root's appenders
 * (the file's, or the consoles') a {@link JsonLogLayout}.
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
    private static boolean json;

    private LogbackConfigurator() {
    }

    /** Debug and a log file only (the other options off): as before {@link LogSettings}. */
    static synchronized void apply(boolean debug, String file) {
        apply(new LogSettings(debug, file, false, List.of(), null, null));
    }

    static synchronized void apply(LogSettings s) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (s.configAppend() != null && !s.configAppend().isBlank()) {
            configureFrom(ctx, s.configAppend());
            return;
        }
        if (configured == null) {
            for (String entry : s.levels()) {
                int eq = entry.indexOf('=');
                ctx.getLogger(entry.substring(0, eq).trim()).setLevel(Level.toLevel(entry.substring(eq + 1).trim(),
                        Level.WARN));
            }
            configured = new HashMap<>();
            for (Logger l : ctx.getLoggerList()) {
                if (l.getLevel() != null) {
                    configured.put(l.getName(), l.getLevel());
                }
            }
        }
        for (Map.Entry<String, Level> e : configured.entrySet()) {
            Logger l = ctx.getLogger(e.getKey());
            boolean lower = s.debug() && (l.getName().equals(Logger.ROOT_LOGGER_NAME)
                    || e.getValue().toInt() <= Level.INFO.toInt());
            l.setLevel(lower ? Level.DEBUG : e.getValue());
        }
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        if (s.debug() && root.getLevel() != Level.DEBUG) {
            root.setLevel(Level.DEBUG);
        }
        if (s.file() != null && fileAppender == null) {
            toFile(ctx, root, s.file(), s.json() ? jsonEncoder(ctx, s.prog()) : null);
        } else if (s.json() && !json) {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                    out.setEncoder(jsonEncoder(ctx, s.prog()));
                }
            }
        }
        json |= s.json();
    }

    /**
     * Forgets the levels recorded from the configuration, so the next apply
     * records them afresh: after the logback context was configured anew
     * from outside (a test restoring its own configuration).
     */
    static synchronized void forgetConfigured() {
        configured = null;
        fileAppender = null;
        json = false;
    }

    /** Resets the context and configures it from {@code file} alone (oslo.log's log_config_append). */
    private static void configureFrom(LoggerContext ctx, String file) {
        File f = new File(file);
        if (!f.canRead()) {
            throw new IllegalArgumentException("log.log_config_append = " + file + " cannot be read");
        }
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(ctx);
        ctx.reset();
        configured = null;
        fileAppender = null;
        json = false;
        try {
            joran.doConfigure(f);
        } catch (JoranException e) {
            throw new IllegalArgumentException("log.log_config_append = " + file + " is not a valid logback"
                    + " configuration: " + e.getMessage(), e);
        }
        for (Status st : ctx.getStatusManager().getCopyOfStatusList()) {
            if (st.getLevel() == Status.ERROR && st.getOrigin() != null) {
                LoggerFactory.getLogger(LogbackConfigurator.class).warn("log.log_config_append = {}: {}", file,
                        st.getMessage());
            }
        }
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext ctx, String prog) {
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(ctx);
        layout.setProcessName(prog);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static void toFile(LoggerContext ctx, Logger root, String file, Encoder<ILoggingEvent> jsonEncoder) {
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
        Encoder<ILoggingEvent> encoder = jsonEncoder;
        if (encoder == null) {
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern(pattern);
            enc.start();
            encoder = enc;
        }
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

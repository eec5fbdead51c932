package io.jeventlet.rpc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger writes (at DEBUG and up) with each line's MDC, for tests on log lines. Close to detach. */
final class Logs implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            synchronized (lines) {
                lines.add(e.getLevel() + " " + e.getFormattedMessage() + " mdc=" + e.getMDCPropertyMap()
                        + (e.getThrowableProxy() != null ? " | " + e.getThrowableProxy().getClassName() + ": "
                                + e.getThrowableProxy().getMessage() : ""));
            }
        }
    };

    Logs(Class<?> loggerOf) {
        logger = (Logger) LoggerFactory.getLogger(loggerOf);
        previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    /** The lines so far: "LEVEL message mdc={...} | ExceptionClass: message". */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}

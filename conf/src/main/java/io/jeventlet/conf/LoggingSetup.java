package io.jeventlet.conf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log} options ({@code log.debug}, {@code log.log_file})
 * to the logging backend of the process, when that backend is logback; with
 * any other SLF4J binding it says once that they are not applied and leaves
 * that backend's own configuration alone.
 *
 * <p>Why here, and why this way: every main gets {@code --debug} and
 * {@code --log-file} from the {@link ConfigCommandLine} mixin, so the conf module
 * is where they take effect; but libraries must stay on slf4j-api. logback
 * is therefore an {@code optional} dependency of this module (present at
 * compile time, not passed on to users), and the only class that refers to
 * it, {@link LogbackConfigurator}, is loaded only after the SLF4J logger
 * factory has been seen to be logback's — the JVM resolves a class on first
 * use, so without logback on the class path it is simply never loaded. No
 * reflection.
 *
 * <p>Thread-safe: applying is serialized by {@link LogbackConfigurator}.
 */
public final class LoggingSetup {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSetup.class);
    private static final String LOGBACK_FACTORY = "ch.qos.logback.classic.LoggerContext";

    private LoggingSetup() {
    }

    /**
     * Applies {@code log.debug} and {@code log.log_file} now, and
     * {@code log.debug} again after each reload that changes it. The
     * {@code log} group must be registered ({@link ConfigCommandLine} does).
     */
    public static void apply(ConfigOpts conf) {
        boolean debug = Boolean.TRUE.equals(conf.get(LogOpts.DEBUG));
        String file = conf.get(LogOpts.LOG_FILE);
        if (!logbackPresent()) {
            if (debug || file != null) {
                LOG.warn("log.debug and log.log_file are applied to logback only; this process logs through {},"
                        + " so configure that backend instead", LoggerFactory.getILoggerFactory().getClass().getName());
            }
            return;
        }
        LogbackConfigurator.apply(debug, file);
        conf.addReloadHook(changes -> {
            if (changes.containsKey(LogOpts.DEBUG.key())) {
                LogbackConfigurator.apply(Boolean.TRUE.equals(conf.get(LogOpts.DEBUG)), null);
                LOG.info("log.debug is now {}", conf.get(LogOpts.DEBUG));
            }
        });
    }

    private static boolean logbackPresent() {
        return LOGBACK_FACTORY.equals(LoggerFactory.getILoggerFactory().getClass().getName());
    }
}

package io.jeventlet.conf;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log} options (oslo.log's {@code debug}, {@code log_file},
 * {@code log_dir}, {@code use_json}, {@code default_log_levels},
 * {@code log_config_append})
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
     * Applies the {@code log} options now ({@link LogbackConfigurator} says
     * how), and after each reload {@code log.debug} and
     * {@code log.log_config_append} again when they changed, as oslo.log
     * does on SIGHUP. The {@code log} group must be registered
     * ({@link ConfigCommandLine} does).
     *
     * @throws IllegalArgumentException naming a {@code log} option whose value cannot be applied
     */
    public static void apply(ConfigOpts conf) {
        LogSettings settings = LogSettings.of(conf);
        if (!logbackPresent()) {
            if (settings.debug() || settings.file() != null || settings.json() || settings.configAppend() != null) {
                LOG.warn("the log options are applied to logback only; this process logs through {},"
                        + " so configure that backend instead", LoggerFactory.getILoggerFactory().getClass().getName());
            }
            return;
        }
        LogbackConfigurator.apply(settings);
        conf.addReloadHook(changes -> {
            if (changes.containsKey(LogOpts.LOG_CONFIG_APPEND.key()) || changes.containsKey(LogOpts.DEBUG.key())) {
                LogSettings now = LogSettings.of(conf);
                boolean appendDropped = changes.containsKey(LogOpts.LOG_CONFIG_APPEND.key()) && now.configAppend() == null;
                LogbackConfigurator.apply(appendDropped
                        ? new LogSettings(now.debug(), null, false, List.of(), null, now.prog()) : now);
                LOG.info("log options re-applied: debug = {}, log_config_append = {}", now.debug(), now.configAppend());
            }
        });
    }

    /**
     * What a SIGHUP does to logging after {@link ConfigOpts#reload()}, as
     * oslo.log does: a {@code log.log_config_append} file is read again even
     * when its name did not change (its contents may have). Changes of
     * {@code log.debug} are applied by the reload itself.
     */
    public static void reapply(ConfigOpts conf) {
        if (!logbackPresent() || !conf.groups().contains(LogOpts.LOG)) {
            return;
        }
        LogSettings now = LogSettings.of(conf);
        if (now.configAppend() != null && !now.configAppend().isBlank()) {
            LogbackConfigurator.apply(now);
            LOG.info("log.log_config_append = {} read again", now.configAppend());
        }
    }

    private static boolean logbackPresent() {
        return LOGBACK_FACTORY.equals(LoggerFactory.getILoggerFactory().getClass().getName());
    }
}

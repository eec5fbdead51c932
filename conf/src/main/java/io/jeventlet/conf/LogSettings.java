package io.jeventlet.conf;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code log} options as the logging backend needs them, resolved:
 * the file (from {@code log_file} and {@code log_dir}), JSON or not, the
 * libraries' levels, and a logback file that replaces all of it.
 * Immutable.
 *
 * @param debug            {@code log.debug}
 * @param file             the log file, or null for the console
 * @param json             {@code log.use_json}
 * @param levels           {@code log.default_log_levels} ({@code logger=LEVEL} entries)
 * @param configAppend     {@code log.log_config_append}, or null
 * @param prog             the program's name, or null
 */
record LogSettings(boolean debug, String file, boolean json, List<String> levels, String configAppend, String prog) {

    /** Reads and resolves {@code conf}'s {@code log} group. */
    static LogSettings of(ConfigOpts conf) {
        String file = conf.get(LogOpts.LOG_FILE);
        String dir = conf.get(LogOpts.LOG_DIR);
        if (dir != null && !dir.isBlank()) {
            String name = file != null ? file : (conf.prog() != null ? conf.prog() : "jeventlet") + ".log";
            file = Path.of(dir).resolve(name).toString();
        }
        List<String> levels = conf.get(LogOpts.DEFAULT_LOG_LEVELS);
        for (String entry : levels == null ? List.<String>of() : levels) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("log.default_log_levels entry '" + entry
                        + "' is not valid: expected logger=LEVEL, e.g. com.rabbitmq=WARN");
            }
        }
        return new LogSettings(Boolean.TRUE.equals(conf.get(LogOpts.DEBUG)), file,
                Boolean.TRUE.equals(conf.get(LogOpts.USE_JSON)), levels == null ? List.of() : List.copyOf(levels),
                conf.get(LogOpts.LOG_CONFIG_APPEND), conf.prog());
    }
}

package io.jeventlet.conf;

import java.util.List;

/**
 * The {@code log} option group: oslo.log's {@code debug},
 * {@code log_file}, {@code log_dir}, {@code use_json},
 * {@code default_log_levels} and {@code log_config_append}, which every
 * main's {@code --debug}, {@code --log-file}, {@code --log-dir},
 * {@code --use-json} and {@code --log-config-append} set (see
 * {@link LoggingOptions}). Defaults live in
 * this module's {@code reference.conf}. The group is registered by the
 * {@link ConfigCommandLine} mixin rather than discovered, so configurations built
 * without the mixin (libraries, tests) keep exactly the groups they name.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class LogOpts implements OptGroupProvider {

    /** The {@code log} group. */
    public static final OptGroup LOG = new OptGroup("log", "Logging: oslo.log's level and destination options.");

    /** {@code log.debug}: log at DEBUG instead of the configured levels; mutable (a SIGHUP applies it). */
    public static final Opt<Boolean> DEBUG = LOG.add(Opt.boolOpt("debug").mutable()
            .help("Log at DEBUG instead of INFO (oslo.log's debug); a reload applies a change."));
    /** {@code log.log_file}: unset (the main's console logging), or a file every log line goes to instead. */
    public static final Opt<String> LOG_FILE = LOG.add(Opt.stringOpt("log_file")
            .help("Unset, or a file that every log line goes to instead of the console (oslo.log's log_file)."));

    /** {@code log.log_dir}: unset, or the directory of the log file (with a relative {@code log_file}, or {@code <prog>.log}). */
    public static final Opt<String> LOG_DIR = LOG.add(Opt.stringOpt("log_dir")
            .help("Unset, or the directory of the log file: a relative log_file is taken in it, and without"
                    + " log_file the file is <program name>.log there (oslo.log's log_dir)."));
    /** {@code log.use_json}: one JSON object a line, with oslo.log's JSONFormatter keys. */
    public static final Opt<Boolean> USE_JSON = LOG.add(Opt.boolOpt("use_json")
            .help("Log one JSON object a line with oslo.log's JSONFormatter keys (message, name, levelname,"
                    + " levelno, asctime, created, hostname, process, thread_name, context, traceback, ...)."));
    /** {@code log.default_log_levels}: {@code logger=LEVEL} entries, replacing the default list wholesale. */
    public static final Opt<List<String>> DEFAULT_LOG_LEVELS = LOG.add(Opt.listOpt("default_log_levels")
            .help("Levels of the libraries' loggers as logger=LEVEL; a list given replaces the default one"
                    + " wholesale, as oslo.log's default_log_levels does."));
    /** {@code log.log_config_append}: unset, or a logback XML file used instead of the generated configuration. */
    public static final Opt<String> LOG_CONFIG_APPEND = LOG.add(Opt.stringOpt("log_config_append").mutable()
            .help("Unset, or a logback XML configuration file used instead of every other log option (oslo.log's"
                    + " log_config_append); a reload re-reads it."));

    @Override
    public List<OptGroup> groups() {
        return List.of(LOG);
    }
}

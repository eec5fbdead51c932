package io.jeventlet.conf;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The operator's options of every main, carried by the {@link ConfigCommandLine}
 * mixin: oslo.log's {@code --debug}, {@code --log-file}, {@code --log-dir},
 * {@code --use-json} and {@code --log-config-append}, and
 * {@code --dump-config}.
 *
 * <ul>
 * <li>{@code -d, --debug} sets {@code log.debug = true};
 * <li>{@code --log-file FILE} sets {@code log.log_file}; {@code --log-dir DIR}
 * {@code log.log_dir}; {@code --use-json} {@code log.use_json};
 * {@code --log-config-append FILE} {@code log.log_config_append}
 * ({@code default_log_levels} is set in a file or as
 * {@code --log.default_log_levels});
 * <li>{@code --dump-config} prints the effective configuration, secrets
 * shown as {@code ****}, on the command's standard output and ends the
 * command with exit status 0 (through {@link ConfigCommandLine#commandLine}).
 * </ul>
 * How the {@code log} options reach the logging backend is
 * {@link LoggingSetup}'s job.
 *
 * <p>Thread rule: confined to the thread that parses the command line.
 */
public final class LoggingOptions {

    @Option(names = {"-d", "--debug"}, description = "Log at DEBUG (sets log.debug = true).")
    private boolean debug;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Write every log line to FILE instead of the console (sets log.log_file).")
    private Path logFile;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "Directory of the log file: a relative --log-file is taken in it, else <program>.log"
                    + " (sets log.log_dir).")
    private Path logDir;

    @Option(names = "--use-json", description = "Log one JSON object a line, oslo.log's JSONFormatter keys"
            + " (sets log.use_json = true).")
    private boolean useJson;

    @Option(names = "--log-config-append", paramLabel = "FILE",
            description = "A logback XML file used instead of every other log option; SIGHUP re-reads it"
                    + " (sets log.log_config_append).")
    private Path logConfigAppend;

    @Option(names = "--dump-config",
            description = "Print the effective configuration (secrets masked) and exit 0.")
    private boolean dumpConfig;

    /** Whether {@code --dump-config} was given. */
    public boolean dumpConfig() {
        return dumpConfig;
    }

    /** Registers the {@code log} group and adds {@code --debug} and {@code --log-file} as command-line values. */
    ConfigOpts.Builder applyTo(ConfigOpts.Builder builder) {
        builder.register(LogOpts.LOG);
        if (debug) {
            builder.commandLine(LogOpts.DEBUG.key(), "true");
        }
        if (logFile != null) {
            builder.commandLine(LogOpts.LOG_FILE.key(), logFile.toString());
        }
        if (logDir != null) {
            builder.commandLine(LogOpts.LOG_DIR.key(), logDir.toString());
        }
        if (useJson) {
            builder.commandLine(LogOpts.USE_JSON.key(), "true");
        }
        if (logConfigAppend != null) {
            builder.commandLine(LogOpts.LOG_CONFIG_APPEND.key(), logConfigAppend.toString());
        }
        return builder;
    }

    /**
     * After the configuration loaded: with {@code --dump-config}, prints it to
     * {@code out} and throws {@link ConfigDumped}; else applies the
     * {@code log} options to the logging backend.
     */
    void apply(ConfigOpts conf, PrintWriter out) {
        if (dumpConfig) {
            ConfigDump.print(conf, out);
            throw new ConfigDumped();
        }
        LoggingSetup.apply(conf);
    }
}

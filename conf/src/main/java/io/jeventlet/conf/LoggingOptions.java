package io.jeventlet.conf;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The operator's options of every main, carried by the {@link ConfigCommandLine}
 * mixin: oslo.log's {@code --debug} and {@code --log-file}, and
 * {@code --dump-config}.
 *
 * <ul>
 * <li>{@code -d, --debug} sets {@code log.debug = true};
 * <li>{@code --log-file FILE} sets {@code log.log_file};
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

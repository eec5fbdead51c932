package io.jeventlet.conf;

import java.util.List;

/**
 * The {@code log} option group: oslo.log's {@code debug} and
 * {@code log_file}, which every main's {@code --debug} and
 * {@code --log-file} set (see {@link LoggingOptions}). Defaults live in
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

    @Override
    public List<OptGroup> groups() {
        return List.of(LOG);
    }
}

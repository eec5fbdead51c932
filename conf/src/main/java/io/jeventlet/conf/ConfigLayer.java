package io.jeventlet.conf;

/**
 * Where a value can come from, lowest precedence first: a value from a later
 * layer replaces the same key from an earlier one.
 *
 * <p>Thread-safe: an enum.
 */
public enum ConfigLayer {
    /** {@code reference.conf} of every jar: the libraries' defaults. */
    REFERENCE("reference.conf"),
    /** The application's {@code application.conf}, or the file of {@code -Dconfig.file} / {@code -Dconfig.resource}. */
    APPLICATION("application config"),
    /** Files of {@code --config-file} (in order given), then {@code *.conf} of each {@code --config-dir} (sorted). */
    CONFIG_FILE("config file"),
    /** Environment variables {@code JEVENTLET_<GROUP>__<OPTION>}. */
    ENVIRONMENT("environment"),
    /** {@code --<group>.<option>=value} on the command line. */
    COMMAND_LINE("command line"),
    /** Values set in code through {@link ConfigOpts.Builder#override}. */
    OVERRIDE("override");

    private final String label;

    ConfigLayer(String label) {
        this.label = label;
    }

    /** A short human name for logs, e.g. {@code "config file"}. */
    public String label() {
        return label;
    }
}

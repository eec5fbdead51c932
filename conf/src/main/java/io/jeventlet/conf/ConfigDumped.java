package io.jeventlet.conf;

/**
 * Thrown by {@link ConfigCommandLine#load()} after {@code --dump-config} printed
 * the configuration: it ends the command, and the mixin's
 * {@link ConfigCommandLine#commandLine} turns it into exit status 0.
 *
 * <p>Thread-safe: immutable.
 */
final class ConfigDumped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigDumped() {
        super("--dump-config: the configuration was printed", null, false, false);
    }
}

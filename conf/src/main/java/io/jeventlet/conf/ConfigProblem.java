package io.jeventlet.conf;

/**
 * One thing wrong with the configuration, found at start or on reload.
 *
 * <p>Thread-safe: immutable.
 *
 * @param key    the HOCON key at fault, e.g. {@code rpc.response_timeout};
 *               null when the problem is a whole file
 * @param source where the value came from: {@code agent.conf:12},
 *               {@code environment variable JEVENTLET_RPC__RESPONSE_TIMEOUT},
 *               {@code command line}; null when unknown
 * @param value  the offending value as written, {@code ****} for a secret;
 *               null when there is no value (a missing option, an unreadable file)
 * @param rule   what was expected, e.g. {@code must be > 0}
 */
public record ConfigProblem(String key, String source, String value, String rule) {

    /**
     * The problem as one line, e.g.
     * {@code rpc.response_timeout = -5s in agent.conf:12 is not valid: must be > 0}.
     */
    public String message() {
        StringBuilder line = new StringBuilder();
        if (key != null) {
            line.append(key);
            if (value != null) {
                line.append(" = ").append(value);
            }
            if (source != null) {
                line.append(" in ").append(source);
            }
            line.append(value != null ? " is not valid: " : ": ");
        } else if (source != null) {
            line.append(source).append(": ");
        }
        return line.append(rule).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}

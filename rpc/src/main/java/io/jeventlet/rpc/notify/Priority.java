package io.jeventlet.rpc.notify;

import java.util.Locale;

/**
 * oslo's notification priorities: upper case in a notification's
 * {@code priority} field, lower case in routing keys and as the endpoint
 * method that handles them. Immutable.
 */
enum Priority {
    AUDIT, DEBUG, INFO, WARN, ERROR, CRITICAL, SAMPLE;

    /** The lower-case name: the routing key's suffix and the endpoint method's name. */
    String lower() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The priority named {@code value} (any case), or null for an unknown one. */
    static Priority parse(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

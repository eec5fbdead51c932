package io.jeventlet.sample.l3;

/**
 * A router from the plugin that cannot be applied: a field is missing or of
 * the wrong kind. The message names the router, the field, the value found
 * and what was expected. Immutable.
 */
public final class MalformedRouterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String routerId;
    private final String field;

    /** A router {@code routerId} whose {@code field} holds {@code value} instead of {@code expected}. */
    public MalformedRouterException(String routerId, String field, Object value, String expected) {
        super("router " + routerId + " from the plugin is malformed: " + field + " = " + describe(value)
                + ", expected " + expected);
        this.routerId = routerId;
        this.field = field;
    }

    /** The router's id as far as it could be read ({@code ?} if not at all). */
    public String routerId() {
        return routerId;
    }

    /** The field that was wrong. */
    public String field() {
        return field;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        String s = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}

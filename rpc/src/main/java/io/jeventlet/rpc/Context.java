package io.jeventlet.rpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The request context that travels with every request: oslo.context's dict
 * (user, project, {@code request_id}, auth token ...). On the wire each entry
 * is a top-level request field {@code _context_<key>}; a server's context
 * holds exactly those entries.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks secrets (see
 * {@link #isSecretKey}), so a context can be logged as it is.
 *
 * <pre>{@code
 * Context ctx = Context.of(Map.of("request_id", "req-1", "user_id", "admin"));
 * client.call(ctx.with("auth_token", token), "get_routers", Map.of());
 * }</pre>
 */
public final class Context {
    private static final Context EMPTY = new Context(Map.of());
    /** What a masked value prints as. */
    public static final String MASK = "****";

    private final Map<String, Object> values;

    private Context(Map<String, Object> values) {
        this.values = values;
    }

    /** The context with no entries. */
    public static Context empty() {
        return EMPTY;
    }

    /**
     * A context holding a copy of {@code values}, in their iteration order;
     * null values are kept (they travel as JSON {@code null}).
     */
    public static Context of(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "context key"), v));
        return new Context(Collections.unmodifiableMap(copy));
    }

    /** The value of {@code key}, or null. */
    public Object get(String key) {
        return values.get(key);
    }

    /** A new context with {@code key} set to {@code value}. */
    public Context with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new Context(Collections.unmodifiableMap(copy));
    }

    /** The entries, unmodifiable. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The entries with secret values replaced by {@link #MASK}: what log lines show. */
    public Map<String, Object> masked() {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, isSecretKey(k) && v != null ? MASK : v));
        return copy;
    }

    /**
     * True for keys whose values are never logged: {@code auth_token} and
     * keys ending in {@code password}, {@code secret} or {@code token}
     * (case-insensitive).
     */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.equals("auth_token") || k.endsWith("password") || k.endsWith("secret") || k.endsWith("token");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Context c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The entries with secrets masked. */
    @Override
    public String toString() {
        return "Context" + masked();
    }
}

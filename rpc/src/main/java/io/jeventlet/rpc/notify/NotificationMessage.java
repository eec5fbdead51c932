package io.jeventlet.rpc.notify;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.InvalidMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A notification as oslo 14 puts it on the wire: {@code message_id} (a UUID
 * string), {@code publisher_id}, {@code event_type}, {@code priority} (upper
 * case), {@code payload}, {@code timestamp}, then the driver's
 * {@code _unique_id} and the context as {@code _context_<key>} fields.
 * Immutable.
 *
 * @param context the context entries as sent (already reduced and serialized)
 * @param uniqueId the {@code _unique_id} received (null when sending: each send gets its own)
 */
record NotificationMessage(String messageId, String publisherId, String eventType, String priority, Object payload,
        String timestamp, Map<String, Object> context, String uniqueId) {

    static final String CONTEXT_PREFIX = "_context_";

    /**
     * oslo 14's {@code _sanitize_context} keys, in oslo.context's order: the
     * only context entries a notification carries (never a token).
     */
    static final Set<String> SAFE_CONTEXT_KEYS = Set.of("user_id", "project_id", "domain_id", "user_domain_id",
            "project_domain_id", "is_admin", "request_id", "roles", "user_name", "project_name", "domain_name",
            "user_domain_name", "project_domain_name", "service_user_id", "service_user_domain_id",
            "service_user_domain_name", "service_project_id", "service_project_name", "service_project_domain_id",
            "service_project_domain_name", "service_roles", "global_request_id", "system_scope", "user", "domain",
            "user_domain", "project_domain");

    /** {@code ctx} reduced to the safe keys, in its own order. */
    static Context sanitize(Context ctx) {
        Map<String, Object> safe = new LinkedHashMap<>();
        ctx.asMap().forEach((k, v) -> {
            if (SAFE_CONTEXT_KEYS.contains(k)) {
                safe.put(k, v);
            }
        });
        return Context.of(safe);
    }

    /** A new notification with a fresh message id, unique id and timestamp. */
    static NotificationMessage create(String publisherId, String eventType, Priority priority, Object payload,
                                      Map<String, Object> context) {
        return new NotificationMessage(UUID.randomUUID().toString(), publisherId, eventType, priority.name(), payload,
                NotificationTimestamps.now(), context, null);
    }

    /** The notification's own fields (what the log driver writes). */
    Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", messageId);
        m.put("publisher_id", publisherId);
        m.put("event_type", eventType);
        m.put("priority", priority);
        m.put("payload", payload);
        m.put("timestamp", timestamp);
        return m;
    }

    /**
     * The message on the wire, in oslo's field order, with a fresh
     * {@code _unique_id}: oslo's driver adds one per send, so the copies a
     * notification's topics and drivers get are told apart.
     */
    Map<String, Object> toWire() {
        Map<String, Object> m = fields();
        m.put("_unique_id", io.jeventlet.rpc.spi.Ids.uuidHex());
        context.forEach((k, v) -> m.put(CONTEXT_PREFIX + k, v));
        return m;
    }

    /** The metadata an endpoint gets: {@code message_id} and {@code timestamp}. */
    Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", messageId);
        m.put("timestamp", timestamp);
        return m;
    }

    /**
     * Reads a decoded notification (either envelope format). Fields of the
     * wrong type are an {@link InvalidMessage}; a missing one is null, as
     * oslo's {@code message.get} reads it.
     */
    static NotificationMessage fromWire(Map<String, Object> m) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(CONTEXT_PREFIX)) {
                ctx.put(k.substring(CONTEXT_PREFIX.length()), v);
            }
        });
        return new NotificationMessage(text(m, "message_id"), text(m, "publisher_id"), text(m, "event_type"),
                text(m, "priority"), m.get("payload"), text(m, "timestamp"), ctx, text(m, "_unique_id"));
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new InvalidMessage("notification field '" + key + "' is " + v + " (" + v.getClass().getSimpleName()
                + "); expected a string");
    }
}

package io.jeventlet.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import io.jeventlet.rpc.spi.Ids;

/**
 * A request as oslo.messaging puts it inside the envelope: {@code method},
 * {@code args} (keyword arguments only), {@code namespace} and
 * {@code version} only when set, then for a call {@code _msg_id},
 * {@code _reply_q} and {@code _timeout} (always present: the
 * call-monitor timeout or null), {@code _unique_id}, and the context as
 * top-level {@code _context_<key>} fields. Immutable.
 *
 * @param timeout the {@code _timeout} field as sent: null, or a number (a
 *                Python peer may send anything; only a number enables
 *                heartbeats)
 */
record RequestMessage(String method, Map<String, Object> args, String namespace, String version, Context context,
        String uniqueId, String msgId, String replyQ, Object timeout) {

    static final String CONTEXT_PREFIX = "_context_";

    /** True for a call: a reply is expected. */
    boolean isCall() {
        return msgId != null;
    }

    /** A fresh uuid4 in hex, as oslo's {@code uuid.uuid4().hex} ({@link Ids}). */
    static String newId() {
        return Ids.uuidHex();
    }

    /** The message in oslo's field order. */
    Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("args", args);
        if (namespace != null) {
            m.put("namespace", namespace);
        }
        if (version != null) {
            m.put("version", version);
        }
        if (msgId != null) {
            m.put("_msg_id", msgId);
            m.put("_reply_q", replyQ);
            m.put("_timeout", timeout);
        }
        m.put("_unique_id", uniqueId);
        context.asMap().forEach((k, v) -> m.put(CONTEXT_PREFIX + k, v));
        return m;
    }

    /**
     * Reads a decoded request.
     *
     * @throws InvalidMessage naming the field that is missing or of the wrong type
     */
    static RequestMessage fromWire(Map<String, Object> m) {
        String method = string(m, "method", true);
        Object rawArgs = m.get("args");
        Map<String, Object> args;
        if (rawArgs == null) {
            args = Map.of();
        } else if (rawArgs instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> a = (Map<String, Object>) map;
            args = a;
        } else {
            throw new InvalidMessage("request field 'args' is " + Envelope.describe(rawArgs)
                    + "; expected an object of keyword arguments");
        }
        Map<String, Object> ctx = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(CONTEXT_PREFIX)) {
                ctx.put(k.substring(CONTEXT_PREFIX.length()), v);
            }
        });
        String msgId = string(m, "_msg_id", false);
        String replyQ = string(m, "_reply_q", false);
        if (msgId != null && replyQ == null) {
            throw new InvalidMessage("request " + msgId + " has a _msg_id but no _reply_q to answer to");
        }
        return new RequestMessage(method, args, string(m, "namespace", false), string(m, "version", false),
                Context.of(ctx), string(m, "_unique_id", false), msgId, replyQ, m.get("_timeout"));
    }

    private static String string(Map<String, Object> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                throw new InvalidMessage("request has no '" + key + "' field; fields present: " + m.keySet());
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new InvalidMessage("request field '" + key + "' is " + Envelope.describe(v) + "; expected a string");
        }
        return s;
    }

    /**
     * The heartbeat interval oslo's server derives from {@code _timeout}:
     * {@code int(_timeout) / 2} when {@code _timeout} is a number and that is
     * at least 1 second, else 0 (no heartbeats).
     */
    double heartbeatInterval() {
        if (!(timeout instanceof Number n)) {
            return 0;
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return 0;
        }
        double interval = ((long) d) / 2.0;
        return interval >= 1 ? interval : 0;
    }
}

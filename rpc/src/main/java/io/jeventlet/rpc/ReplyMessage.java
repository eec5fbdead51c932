package io.jeventlet.rpc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reply or call-monitor heartbeat as oslo.messaging's server sends it:
 * {@code result}, {@code failure} (null, or a {@link Failure} encoded as a
 * JSON string), {@code ending}, {@code _msg_id}, and a fresh
 * {@code _unique_id} on every one. A heartbeat is
 * {@code {result: null, failure: null, ending: false}}. Immutable.
 *
 * @param failure the failure, already parsed; null when the method succeeded
 */
record ReplyMessage(Object result, Failure failure, boolean ending, String msgId, String uniqueId) {

    /** The final reply to call {@code msgId}. */
    static ReplyMessage result(String msgId, Object result) {
        return new ReplyMessage(result, null, true, msgId, RequestMessage.newId());
    }

    /** The final, failed reply to call {@code msgId}. */
    static ReplyMessage failure(String msgId, Failure failure) {
        return new ReplyMessage(null, failure, true, msgId, RequestMessage.newId());
    }

    /** A call-monitor heartbeat for call {@code msgId}. */
    static ReplyMessage heartbeat(String msgId) {
        return new ReplyMessage(null, null, false, msgId, RequestMessage.newId());
    }

    /** True for a heartbeat: no result, no failure, not the end. */
    boolean isHeartbeat() {
        return !ending && result == null && failure == null;
    }

    /** The message in oslo's field order; {@code failure} as a JSON string. */
    Map<String, Object> toWire(Envelope envelope) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", result);
        m.put("failure", failure == null ? null : failure.toJson(envelope));
        m.put("ending", ending);
        m.put("_msg_id", msgId);
        m.put("_unique_id", uniqueId);
        return m;
    }

    /**
     * Reads a decoded reply.
     *
     * @throws InvalidMessage naming the field that is missing or of the wrong type
     */
    static ReplyMessage fromWire(Map<String, Object> m, Envelope envelope) {
        Object id = m.get("_msg_id");
        if (!(id instanceof String msgId)) {
            throw new InvalidMessage("reply field '_msg_id' is " + Envelope.describe(id) + "; expected a string");
        }
        Object f = m.get("failure");
        Failure failure = null;
        if (f instanceof String s) {
            failure = Failure.fromJson(s, envelope);
        } else if (f != null) {
            throw new InvalidMessage("reply field 'failure' is " + Envelope.describe(f)
                    + "; expected null or a JSON-encoded string");
        }
        Object ending = m.get("ending");
        if (ending != null && !(ending instanceof Boolean)) {
            throw new InvalidMessage("reply field 'ending' is " + Envelope.describe(ending) + "; expected a boolean");
        }
        Object unique = m.get("_unique_id");
        return new ReplyMessage(m.get("result"), failure, Boolean.TRUE.equals(ending), msgId,
                unique instanceof String u ? u : null);
    }
}

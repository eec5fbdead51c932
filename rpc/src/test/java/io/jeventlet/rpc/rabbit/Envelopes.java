package io.jeventlet.rpc.rabbit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** oslo.messaging's envelope, written by hand for tests that drive the SPI with raw bytes. */
final class Envelopes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelopes() {}

    /** {@code {"oslo.version": "2.0", "oslo.message": json(msg)}}. */
    static byte[] wrap(Map<String, ?> msg) {
        try {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("oslo.version", "2.0");
            outer.put("oslo.message", JSON.writeValueAsString(msg));
            return JSON.writeValueAsBytes(outer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> unwrap(byte[] body) {
        try {
            Map<String, Object> outer = JSON.readValue(body, Map.class);
            return JSON.readValue((String) outer.get("oslo.message"), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] request(String method, String msgId, String replyQ) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("args", Map.of());
        m.put("_unique_id", io.jeventlet.rpc.spi.Ids.uuidHex());
        if (msgId != null) {
            m.put("_msg_id", msgId);
            m.put("_reply_q", replyQ);
            m.put("_timeout", null);
        }
        return wrap(m);
    }

    static byte[] reply(String msgId, Object result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", result);
        m.put("failure", null);
        m.put("ending", true);
        m.put("_msg_id", msgId);
        m.put("_unique_id", io.jeventlet.rpc.spi.Ids.uuidHex());
        return wrap(m);
    }
}

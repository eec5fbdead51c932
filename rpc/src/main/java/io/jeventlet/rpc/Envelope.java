package io.jeventlet.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.JsonBuffers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * oslo.messaging's message envelope (version 2.0), as {@code _drivers/common.py}'s
 * {@code serialize_msg} / {@code deserialize_msg} write and read it:
 * <pre>{"oslo.version": "2.0", "oslo.message": "&lt;the message, JSON-encoded as a string&gt;"}</pre>
 * The inner message is encoded twice: once to a JSON text, which is then a
 * string value of the outer object.
 *
 * <p>Thread-safe and immutable: one instance per transport, shared by every
 * hub.
 *
 * <p>Decoding is defensive: a body larger than {@code maxMessageSize} bytes,
 * JSON nested deeper than {@code maxDepth} (Jackson's
 * {@link StreamReadConstraints}, checked while parsing, so a hostile message
 * never builds a deep tree), anything but a JSON object, or an envelope
 * version other than 2.x with x = 0 (oslo's {@code version_is_compatible("2.0", v)})
 * is an {@link InvalidMessage} naming the rule. Like oslo, an object without
 * both envelope keys is taken as an un-enveloped (1.0) message as it is.
 * Values decode by API.md's rule: a JSON integer is an {@code Integer} when
 * it fits, else a {@code Long}, else a {@code BigInteger}; other numbers are
 * {@code Double}s; objects keep their key order.
 *
 * <p>Cost: a well-formed 2.0 envelope is read in one streaming pass over the
 * outer object (no tree of it) and one tree read of the inner text;
 * anything else takes the general path, which gives every message above its
 * meaning and error. Jackson's buffers come from {@link JsonBuffers}, shared
 * by all threads.
 */
public final class Envelope {
    /** The envelope version this side writes. */
    public static final String VERSION = "2.0";
    static final String VERSION_KEY = "oslo.version";
    static final String MESSAGE_KEY = "oslo.message";
    /** What every envelope this side writes starts with, up to the quoted inner text. */
    private static final byte[] ENVELOPE_HEAD = ("{\"" + VERSION_KEY + "\":\"" + VERSION + "\",\"" + MESSAGE_KEY + "\":")
            .getBytes(StandardCharsets.UTF_8);

    private final long maxMessageSize;
    private final int maxDepth;
    private final ObjectMapper mapper;
    /** {@code mapper}'s reader of untyped values, resolved once rather than per message. */
    private final ObjectReader values;
    /** For {@link #routing} only: no size limits (the body is refused already), the same depth limit. */
    private final JsonFactory scanner;

    /**
     * An envelope codec with these limits.
     *
     * @param maxMessageSize largest encoded message accepted or sent, in bytes
     * @param maxDepth       deepest nesting of JSON arrays and objects accepted
     */
    public Envelope(long maxMessageSize, int maxDepth) {
        if (maxMessageSize < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("maxMessageSize = " + maxMessageSize + " and maxDepth = " + maxDepth
                    + " must both be >= 1");
        }
        this.maxMessageSize = maxMessageSize;
        this.maxDepth = maxDepth;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxMessageSize))
                        .maxDocumentLength(maxMessageSize)
                        .build())
                // Python's json module writes NaN and Infinity for such floats.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .recyclerPool(JsonBuffers.pool())
                .build();
        this.mapper = JsonMapper.builder(factory).build();
        this.values = mapper.readerFor(Object.class);
        this.scanner = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .recyclerPool(JsonBuffers.pool())
                .build();
    }

    /**
     * Where a message that was refused can still be answered: its
     * {@code _msg_id} and {@code _reply_q}, each null when absent.
     */
    public record Routing(String msgId, String replyQ) {
    }

    /**
     * Finds the {@code _msg_id} and {@code _reply_q} of a body that
     * {@link #decode} refused (too large, malformed further in) with a
     * streaming read of the top-level fields only: no tree is built, nested
     * values are skipped, nesting deeper than {@code maxDepth} stops it. The
     * size limit does not apply here, so an oversized request can be answered
     * and an oversized reply can end its call at once. Never throws.
     *
     * @return what was found (fields null when absent); null when the body is
     *         not a JSON object at all
     */
    public Routing routing(byte[] body) {
        if (body == null) {
            return null;
        }
        try (JsonParser outer = scanner.createParser(body)) {
            String[] found = new String[3];
            if (!topLevel(outer, found, true)) {
                return null;
            }
            if (found[2] != null) {
                try (JsonParser inner = scanner.createParser(found[2])) {
                    topLevel(inner, found, false);
                }
            }
            return new Routing(found[0], found[1]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Reads one object's top-level string fields {@code _msg_id}, {@code _reply_q} (and the envelope's message). */
    private static boolean topLevel(JsonParser p, String[] found, boolean envelope) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING && name.equals("_msg_id")) {
                found[0] = p.getText();
            } else if (v == JsonToken.VALUE_STRING && name.equals("_reply_q")) {
                found[1] = p.getText();
            } else if (envelope && v == JsonToken.VALUE_STRING && name.equals(MESSAGE_KEY)) {
                found[2] = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return t == JsonToken.END_OBJECT || t == null;
    }

    /** The codec with {@code rpc.max_message_size} and {@code rpc.max_message_depth} of {@code conf}. */
    public static Envelope fromConf(ConfigOpts conf) {
        return new Envelope(conf.get(RpcOpts.MAX_MESSAGE_SIZE), conf.get(RpcOpts.MAX_MESSAGE_DEPTH));
    }

    /** The mapper values are converted with (Jackson's defaults, for {@code convertValue}). */
    ObjectMapper mapper() {
        return mapper;
    }

    /** The largest body accepted, in bytes. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Encodes {@code message} (string keys; values that Jackson maps to JSON)
     * into an envelope, UTF-8.
     *
     * @throws InvalidMessage when a value cannot be encoded (naming it) or the
     *         result is larger than the size limit
     */
    public byte[] encode(Map<String, ?> message) {
        try {
            // The outer object is fixed but for the inner text: Jackson quotes and escapes that, the rest is copied.
            byte[] quoted = mapper.writeValueAsBytes(mapper.writeValueAsString(message));
            byte[] body = new byte[ENVELOPE_HEAD.length + quoted.length + 1];
            System.arraycopy(ENVELOPE_HEAD, 0, body, 0, ENVELOPE_HEAD.length);
            System.arraycopy(quoted, 0, body, ENVELOPE_HEAD.length, quoted.length);
            body[body.length - 1] = '}';
            if (body.length > maxMessageSize) {
                throw new InvalidMessage("encoded message is " + body.length + " bytes, larger than"
                        + " rpc.max_message_size = " + maxMessageSize + " bytes");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new InvalidMessage("message cannot be encoded as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes an envelope into the message it carries.
     *
     * @throws InvalidMessage naming what was wrong: size, nesting, not JSON,
     *         not an object, envelope version, an {@code oslo.message} that is
     *         not a string holding a JSON object
     */
    public Map<String, Object> decode(byte[] body) {
        if (body == null) {
            throw new InvalidMessage("message body is null");
        }
        if (body.length > maxMessageSize) {
            throw new InvalidMessage("message is " + body.length + " bytes, larger than rpc.max_message_size = "
                    + maxMessageSize + " bytes");
        }
        String message = envelopedMessage(body);
        if (message != null) {
            return parseObject(message, "envelope field " + MESSAGE_KEY);
        }
        Map<String, Object> outer = parseObject(body, "message");
        if (!outer.containsKey(VERSION_KEY) || !outer.containsKey(MESSAGE_KEY)) {
            return outer;
        }
        Object version = outer.get(VERSION_KEY);
        if (!(version instanceof String v) || !compatible(v)) {
            throw new InvalidMessage("envelope version " + describe(version) + " is not supported; expected "
                    + VERSION_KEY + " = \"" + VERSION + "\"");
        }
        Object inner = outer.get(MESSAGE_KEY);
        if (!(inner instanceof String s)) {
            throw new InvalidMessage("envelope field " + MESSAGE_KEY + " is " + describe(inner)
                    + "; expected a string holding the JSON-encoded message");
        }
        return parseObject(s, "envelope field " + MESSAGE_KEY);
    }

    /**
     * The fast path of {@link #decode}: the inner text when {@code body} is
     * exactly {@code {"oslo.version": <compatible>, "oslo.message": <string>}}
     * (either order, no other or repeated field); null for anything else,
     * including malformed JSON, which the general path then reads and names.
     */
    private String envelopedMessage(byte[] body) {
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String version = null;
            String message = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                if (version == null && name.equals(VERSION_KEY)) {
                    version = p.getText();
                } else if (message == null && name.equals(MESSAGE_KEY)) {
                    message = p.getText();
                } else {
                    return null;
                }
            }
            return t == JsonToken.END_OBJECT && version != null && message != null && compatible(version)
                    ? message : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses {@code json} (a JSON object) with this codec's limits; {@code what} names it in errors.
     * As UTF-8 bytes: Jackson's byte parser reads a message of some size faster than its text parser.
     */
    Map<String, Object> parseObject(String json, String what) {
        return parseObject(json.getBytes(StandardCharsets.UTF_8), what);
    }

    /** oslo's {@code version_is_compatible("2.0", v)}: major 2 and minor 0 ({@code "2.0"} itself compared first). */
    private static boolean compatible(String v) {
        if (v.equals(VERSION)) {
            return true;
        }
        String[] parts = v.split("\\.");
        if (parts.length < 2 || parts.length > 3) {
            return false;
        }
        try {
            for (String p : parts) {
                Integer.parseInt(p);
            }
            return Integer.parseInt(parts[0]) == 2 && Integer.parseInt(parts[1]) == 0
                    && (parts.length == 2 || Integer.parseInt(parts[2]) == 0);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Map<String, Object> parseObject(byte[] json, String what) {
        try {
            Object value = values.readValue(json);
            if (!(value instanceof Map<?, ?>)) {
                throw new InvalidMessage(what + " is " + describe(value) + "; expected a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) value;
            return map;
        } catch (StreamConstraintsException e) {
            throw new InvalidMessage(what + " exceeds a limit (rpc.max_message_depth = " + maxDepth
                    + ", rpc.max_message_size = " + maxMessageSize + " bytes): " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidMessage(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidMessage(what + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A short description of a decoded value for error messages. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value instanceof String str ? "\"" + str + "\"" : String.valueOf(value);
        if (s.length() > 60) {
            s = s.substring(0, 57) + "...";
        }
        return s + " (" + (value instanceof Map ? "object" : value instanceof java.util.List ? "array"
                : value.getClass().getSimpleName()) + ")";
    }
}

package io.jeventlet.rpc.zmq;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jeventlet.rpc.spi.JsonBuffers;
import java.io.IOException;

/**
 * What the ZeroMQ transport reads of an envelope without decoding it for the
 * RPC layer: whether a body is JSON at all, and a reply's {@code _msg_id}
 * and {@code ending}. Thread-safe (stateless; Jackson's factory is).
 */
final class EnvelopePeek {
    /** Peeks run on green threads too: buffers from the shared pool ({@link JsonBuffers}). */
    private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(JsonBuffers.pool()).build();

    /** A reply's id and ending; {@code msgId} null when the body is not a reply envelope. */
    record Reply(String msgId, boolean ending) {
    }

    private EnvelopePeek() {
    }

    /** Null when {@code body} is one well-formed JSON value, else what is wrong with it. */
    static String jsonProblem(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == null) {
                return "the body is empty";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "the body holds more than one JSON value";
            }
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "the body is not JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
            return "the body is not JSON: " + e.getMessage();
        }
    }

    /**
     * Null when a CALL's body may go to the server: one well-formed JSON
     * value, and, when it is an oslo envelope whose message names a
     * {@code _msg_id}, that id equals {@code frameMsgId} (frame 2 wins: the
     * reply is routed and checked by it). Else what is wrong, for the ERROR.
     */
    static String requestProblem(byte[] body, String frameMsgId) {
        String problem = jsonProblem(body);
        if (problem != null) {
            return problem;
        }
        String inner = osloMessage(body);
        if (inner == null) {
            return null;
        }
        try (JsonParser p = JSON.createParser(inner)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("_msg_id".equals(name)) {
                    String id = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    return frameMsgId.equals(id) ? null : "the envelope's _msg_id " + (id == null ? "is not a string"
                            : "'" + id + "'") + " differs from the CALL's message id '" + frameMsgId + "' (frame 2)";
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return "the envelope's oslo.message is not JSON: " + e.getMessage();
        }
        return null;
    }

    /** The string value of {@code oslo.message} of a JSON object, or null. */
    private static String osloMessage(byte[] body) {
        try (JsonParser outer = JSON.createParser(body)) {
            if (outer.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (outer.nextToken() == JsonToken.FIELD_NAME) {
                String name = outer.currentName();
                JsonToken t = outer.nextToken();
                if ("oslo.message".equals(name) && t == JsonToken.VALUE_STRING) {
                    return outer.getText();
                }
                outer.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /**
     * The {@code _msg_id} and {@code ending} of a reply envelope (oslo's
     * double-encoded {@code oslo.message}); {@code (null, true)} when the body
     * is not one.
     */
    static Reply reply(byte[] body) {
        String text = osloMessage(body);
        try {
            return text == null ? new Reply(null, true) : inner(text);
        } catch (IOException | RuntimeException e) {
            return new Reply(null, true);
        }
    }

    private static Reply inner(String text) throws IOException {
        String msgId = null;
        boolean ending = true;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Reply(null, true);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("_msg_id".equals(name) && t == JsonToken.VALUE_STRING) {
                    msgId = p.getText();
                } else if ("ending".equals(name)) {
                    ending = t != JsonToken.VALUE_FALSE;
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Reply(msgId, ending);
    }
}

package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The envelope's encoding and its decoding limits: every bad input is a typed, named error. */
class EnvelopeTest {
    private final Envelope envelope = new Envelope(4096, 10);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String error(String body) {
        return assertThrows(InvalidMessage.class, () -> envelope.decode(utf8(body))).getMessage();
    }

    /** The inner message is JSON-encoded a second time, as a string, under oslo.message with oslo.version 2.0. */
    @Test
    void encodesTwice() {
        String text = new String(envelope.encode(Map.of("method", "m")), StandardCharsets.UTF_8);
        assertEquals("{\"oslo.version\":\"2.0\",\"oslo.message\":\"{\\\"method\\\":\\\"m\\\"}\"}", text);
        assertEquals(Map.of("method", "m"), envelope.decode(utf8(text)));
    }

    /** A body over the size limit is refused before it is parsed, naming the limit. */
    @Test
    void tooLarge() {
        String msg = error("{\"x\":\"" + "a".repeat(5000) + "\"}");
        assertTrue(msg.contains("larger than rpc.max_message_size = 4096"), msg);
    }

    /** Encoding a message over the size limit is refused, naming the limit. */
    @Test
    void tooLargeToSend() {
        InvalidMessage e = assertThrows(InvalidMessage.class, () -> envelope.encode(Map.of("x", "a".repeat(5000))));
        assertTrue(e.getMessage().contains("rpc.max_message_size"), e.getMessage());
    }

    /** JSON nested deeper than the limit is refused while parsing, in the outer or the inner document. */
    @Test
    void tooDeep() {
        String deep = "[".repeat(20) + "]".repeat(20);
        assertTrue(error("{\"a\":" + deep + "}").contains("rpc.max_message_depth = 10"));
        String inner = "{\\\"a\\\":" + deep + "}";
        assertTrue(error("{\"oslo.version\":\"2.0\",\"oslo.message\":\"" + inner + "\"}").contains("max_message_depth"));
    }

    /** Text that is not JSON is refused as such. */
    @Test
    void notJson() {
        assertTrue(error("hello").contains("not valid JSON"));
        assertTrue(error("{\"oslo.version\":\"2.0\",\"oslo.message\":\"{nope\"}").contains("oslo.message is not valid JSON"));
    }

    /** A JSON value that is not an object is refused, naming what it was. */
    @Test
    void notAnObject() {
        assertTrue(error("[1,2]").contains("expected a JSON object"));
        assertTrue(error("{\"oslo.version\":\"2.0\",\"oslo.message\":\"[1]\"}").contains("expected a JSON object"));
        assertTrue(error("{\"oslo.version\":\"2.0\",\"oslo.message\":7}").contains("expected a string"));
    }

    /** Envelope versions other than 2.0 are refused, naming the version found. */
    @Test
    void wrongVersion() {
        for (String v : List.of("\"3.0\"", "\"2.1\"", "\"two\"", "2.0")) {
            String msg = error("{\"oslo.version\":" + v + ",\"oslo.message\":\"{}\"}");
            assertTrue(msg.contains("envelope version") && msg.contains("not supported"), msg);
        }
        assertEquals(Map.of(), envelope.decode(utf8("{\"oslo.version\":\"2.0.0\",\"oslo.message\":\"{}\"}")));
    }

    /** Like oslo, an object without the envelope keys is taken as an un-enveloped (1.0) message. */
    @Test
    void unenvelopedIsAccepted() {
        assertEquals(Map.of("method", "m"), envelope.decode(utf8("{\"method\":\"m\"}")));
    }

    /** A value Jackson cannot encode is an InvalidMessage. */
    @Test
    void unencodableValue() {
        assertThrows(InvalidMessage.class, () -> envelope.encode(Map.of("x", new Object())));
    }

    /** A request missing its method, or with args that are not an object, is refused naming the field. */
    @Test
    void malformedRequests() {
        assertTrue(assertThrows(InvalidMessage.class, () -> RequestMessage.fromWire(Map.of("args", Map.of())))
                .getMessage().contains("no 'method'"));
        assertTrue(assertThrows(InvalidMessage.class,
                () -> RequestMessage.fromWire(Map.of("method", "m", "args", List.of()))).getMessage().contains("'args'"));
        assertTrue(assertThrows(InvalidMessage.class,
                () -> RequestMessage.fromWire(Map.of("method", "m", "_msg_id", "x"))).getMessage().contains("_reply_q"));
    }

    /** Only a number of at least 2 in _timeout asks for heartbeats, every int(_timeout)/2 seconds (oslo's rule). */
    @Test
    void heartbeatInterval() {
        assertEquals(0.0, request(null).heartbeatInterval());
        assertEquals(0.0, request("20").heartbeatInterval());
        assertEquals(0.0, request(1.9).heartbeatInterval());
        assertEquals(1.0, request(2).heartbeatInterval());
        assertEquals(2.5, request(5.7).heartbeatInterval());
    }

    private static RequestMessage request(Object timeout) {
        return new RequestMessage("m", Map.of(), null, null, Context.empty(), "u", "id", "q", timeout);
    }
}

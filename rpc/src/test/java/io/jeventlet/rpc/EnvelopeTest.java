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

    /**
     * Envelopes off the one-pass path (keys reversed, an extra field, a key twice, a non-string
     * value, malformed JSON after the message) read as the general rule reads them.
     */
    @Test
    void everyEnvelopeShapeReadsByTheGeneralRule() {
        assertEquals(Map.of("a", 1), envelope.decode(utf8("{\"oslo.message\":\"{\\\"a\\\":1}\",\"oslo.version\":\"2.0\"}")));
        assertEquals(Map.of("a", 1), envelope.decode(utf8(
                "{\"oslo.version\":\"2.0\",\"x\":[1,{}],\"oslo.message\":\"{\\\"a\\\":1}\"}")));
        assertEquals(Map.of("b", 2), envelope.decode(utf8(
                "{\"oslo.version\":\"2.0\",\"oslo.message\":\"{\\\"a\\\":1}\",\"oslo.message\":\"{\\\"b\\\":2}\"}")));
        String notString = error("{\"oslo.version\":\"2.0\",\"oslo.message\":{\"a\":1}}");
        assertTrue(notString.contains("envelope field oslo.message is") && notString.contains("expected a string"),
                notString);
        String broken = error("{\"oslo.version\":\"2.0\",\"oslo.message\":\"{}\",");
        assertTrue(broken.startsWith("message is not valid JSON"), broken);
        String innerBroken = error("{\"oslo.version\":\"2.0\",\"oslo.message\":\"{\\\"a\\\":\"}");
        assertTrue(innerBroken.startsWith("envelope field oslo.message is not valid JSON"), innerBroken);
        String innerArray = error("{\"oslo.version\":\"2.0\",\"oslo.message\":\"[1]\"}");
        assertTrue(innerArray.contains("expected a JSON object"), innerArray);
    }

    /** Text beyond the BMP and escapes survive the round trip; numbers keep API.md's types. */
    @Test
    void roundTripKeepsTextAndNumberTypes() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("text", "caf\u00e9 \ud83d\ude00 \"quoted\" \\ back\nline");
        m.put("int", 7);
        m.put("long", 1L << 40);
        m.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        m.put("double", 0.5);
        m.put("list", List.of(1, "two", Map.of()));
        assertEquals(m, envelope.decode(envelope.encode(m)));
        assertEquals(List.copyOf(m.keySet()), List.copyOf(envelope.decode(envelope.encode(m)).keySet()));
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

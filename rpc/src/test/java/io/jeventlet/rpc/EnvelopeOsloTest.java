package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The envelope against Python oslo.messaging 14 itself: what its serializer
 * writes, we read; what we write, its deserializer reads.
 */
class EnvelopeOsloTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Envelope envelope = new Envelope(1 << 20, 100);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) throws Exception {
        return JSON.readValue(text, Map.class);
    }

    /** What oslo_peer.py encode printed: one Python run serves every test of the class. */
    private static Map<String, Object> pythonEnvelopes;

    private Map<String, Object> decodePython(String name) throws Exception {
        synchronized (EnvelopeOsloTest.class) {
            if (pythonEnvelopes == null) {
                pythonEnvelopes = json(OsloPeer.peer("encode", ""));
            }
        }
        Map<String, Object> all = pythonEnvelopes;
        return envelope.decode(((String) all.get(name)).getBytes(StandardCharsets.UTF_8));
    }

    /** A call written by oslo.messaging decodes to its method, typed args, namespace, version, ids and context. */
    @Test
    void readsOsloCall() throws Exception {
        RequestMessage r = RequestMessage.fromWire(decodePython("call"));
        assertEquals("routers_updated", r.method());
        assertEquals("r1", r.args().get("router_id"));
        assertEquals(Integer.valueOf(3), r.args().get("count"));
        assertEquals(BigInteger.TWO.pow(70), r.args().get("big"));
        assertEquals(0.5, r.args().get("ratio"));
        assertEquals(Arrays.asList("a", null, true), r.args().get("tags"));
        assertEquals("l3", r.namespace());
        assertEquals("1.3", r.version());
        assertEquals("m".repeat(32), r.msgId());
        assertEquals("reply_" + "q".repeat(32), r.replyQ());
        assertEquals("u".repeat(32), r.uniqueId());
        assertEquals(10.0, r.heartbeatInterval());
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("request_id", "req-1");
        ctx.put("auth_token", "secret-tok");
        ctx.put("user_id", null);
        assertEquals(ctx, r.context().asMap());
    }

    /** A cast written by oslo.messaging has no reply fields. */
    @Test
    void readsOsloCast() throws Exception {
        RequestMessage r = RequestMessage.fromWire(decodePython("cast"));
        assertEquals("ping", r.method());
        assertFalse(r.isCall());
        assertNull(r.namespace());
        assertEquals(Context.empty(), r.context());
    }

    /** Replies, heartbeats and failures written by oslo.messaging decode to result, heartbeat and RemoteError. */
    @Test
    void readsOsloReplies() throws Exception {
        ReplyMessage reply = ReplyMessage.fromWire(decodePython("reply"), envelope);
        assertEquals(Map.of("routers", List.of(1, 2)), reply.result());
        assertTrue(reply.ending());
        ReplyMessage heartbeat = ReplyMessage.fromWire(decodePython("heartbeat"), envelope);
        assertTrue(heartbeat.isHeartbeat());
        ReplyMessage failed = ReplyMessage.fromWire(decodePython("failure"), envelope);
        RemoteError e = failed.failure().toRemoteError();
        assertEquals("ValueError", e.excType());
        assertEquals("bad router r1", e.value());
        assertEquals("builtins", failed.failure().module());
        assertTrue(e.traceback().contains("ValueError: bad router r1"), e.traceback());
    }

    /** oslo.messaging's deserialize_msg, unpack_context and deserialize_remote_exception read what we write. */
    @Test
    void osloReadsOurs() throws Exception {
        Context ctx = Context.of(Map.of("request_id", "req-9"));
        RequestMessage call = new RequestMessage("get_routers", Map.of("host", "node-1", "n", 5), "l3", "1.2", ctx,
                RequestMessage.newId(), RequestMessage.newId(), "reply_x", 20L);
        RequestMessage cast = new RequestMessage("ping", Map.of(), null, null, Context.empty(),
                RequestMessage.newId(), null, null, null);
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put("call", text(call.toWire()));
        ours.put("cast", text(cast.toWire()));
        ours.put("reply", text(ReplyMessage.result(call.msgId(), List.of("r1")).toWire(envelope)));
        ours.put("heartbeat", text(ReplyMessage.heartbeat(call.msgId()).toWire(envelope)));
        ours.put("failure", text(ReplyMessage.failure(call.msgId(),
                Failure.of(new IllegalStateException("boom"))).toWire(envelope)));
        Map<String, Object> seen = json(OsloPeer.peer("decode", JSON.writeValueAsString(ours)));

        Map<?, ?> c = (Map<?, ?>) seen.get("call");
        assertEquals(List.of("_context_request_id", "_msg_id", "_reply_q", "_timeout", "_unique_id", "args", "method",
                "namespace", "version"), c.get("fields"));
        assertEquals(call.uniqueId(), c.get("unique_id"));
        assertEquals(call.msgId(), c.get("msg_id"));
        assertEquals("reply_x", c.get("reply_q"));
        assertEquals(20, c.get("client_timeout"));
        assertEquals(10.0, c.get("heartbeat_interval"));
        assertEquals("get_routers", c.get("method"));
        assertEquals(Map.of("host", "node-1", "n", 5), c.get("args"));
        assertEquals("l3", c.get("namespace"));
        assertEquals("1.2", c.get("version"));
        assertEquals("req-9", ((Map<?, ?>) c.get("context")).get("request_id"));

        Map<?, ?> k = (Map<?, ?>) seen.get("cast");
        assertEquals(List.of("_unique_id", "args", "method"), k.get("fields"));

        Map<?, ?> r = (Map<?, ?>) seen.get("reply");
        assertEquals(List.of("_msg_id", "_unique_id", "ending", "failure", "result"), r.get("fields"));
        assertEquals(List.of("r1"), r.get("result"));
        assertEquals(true, r.get("ending"));

        Map<?, ?> h = (Map<?, ?>) seen.get("heartbeat");
        assertEquals(false, h.get("ending"));
        assertNull(h.get("result"));

        Map<?, ?> f = (Map<?, ?>) ((Map<?, ?>) seen.get("failure")).get("failure");
        assertEquals("RemoteError", f.get("type"));
        assertEquals("IllegalStateException", f.get("exc_type"));
        assertEquals("boom", f.get("value"));
        assertTrue(String.valueOf(f.get("traceback")).contains("java.lang.IllegalStateException: boom"));
    }

    private String text(Map<String, Object> message) {
        return new String(envelope.encode(message), StandardCharsets.UTF_8);
    }
}

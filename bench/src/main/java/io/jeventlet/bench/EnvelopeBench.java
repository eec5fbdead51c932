package io.jeventlet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeventlet.rpc.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of oslo's message envelope on one thread, in nanoseconds per message:
 * what every request and reply of all three buses pays on the hub that sends
 * or receives it. Two messages: the cast of {@code ZmqRpcBench}'s
 * {@code zmq_cast} row (method, empty args, {@code _unique_id}) and a call
 * with a few arguments and a request context, as an agent's
 * {@code report_state} sends it.
 *
 * <p>Peer ({@code jacksonTree*}): the same bytes read by a plain Jackson
 * {@code ObjectMapper} into a tree twice (outer object, then the inner
 * string), with none of the envelope's checks: the least a double-encoded
 * envelope can cost with Jackson's tree reader.
 *
 * <p>{@code *FreshVirtualThread}: the decode as a server runs it, on a virtual
 * thread of its own per message (the green thread a request runs in), less
 * {@code freshVirtualThreadAlone} (start and join only). Jackson's default
 * buffer pool is per thread, so there every message allocates a new set of
 * buffers; {@code Envelope} takes them from a pool shared by all threads.
 * {@code jacksonTreeCastFreshVirtualThread} is the peer with Jackson's default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeBench {
    private final Envelope envelope = new Envelope(16 << 20, 100);
    private final ObjectMapper plain = new ObjectMapper();
    private final Map<String, Object> cast = new LinkedHashMap<>();
    private final Map<String, Object> call = new LinkedHashMap<>();
    private final byte[] castBody;
    private final byte[] callBody;

    public EnvelopeBench() {
        cast.put("method", "bump");
        cast.put("args", Map.of());
        cast.put("_unique_id", "0f9d3c2b8a7e4f6d9c1b2a3e4d5f6a7b");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("agent_state", Map.of("binary", "neutron-l3-agent", "host", "host-1", "topic", "l3_agent",
                "configurations", Map.of("routers", 42, "agent_mode", "legacy")));
        args.put("time", "2026-12-07T10:00:00.000000");
        args.put("router_ids", List.of("r-1", "r-2", "r-3"));
        call.put("method", "report_state");
        call.put("args", args);
        call.put("version", "1.2");
        call.put("_msg_id", "5b0c3e2d1f4a4b6c8d9e0f1a2b3c4d5e");
        call.put("_reply_q", "reply_9a8b7c6d5e4f40312a1b2c3d4e5f6a7b");
        call.put("_timeout", null);
        call.put("_unique_id", "7e6d5c4b3a2940f1e0d9c8b7a6f5e4d3");
        call.put("_context_request_id", "req-3f2e1d0c-b9a8-4765-8432-10fedcba9876");
        call.put("_context_user_id", "admin");
        call.put("_context_project_id", null);
        castBody = envelope.encode(cast);
        callBody = envelope.encode(call);
    }

    @Benchmark
    public Map<String, Object> decodeCast() {
        return envelope.decode(castBody);
    }

    @Benchmark
    public Map<String, Object> decodeCall() {
        return envelope.decode(callBody);
    }

    @Benchmark
    public byte[] encodeCast() {
        return envelope.encode(cast);
    }

    @Benchmark
    public byte[] encodeCall() {
        return envelope.encode(call);
    }

    @Benchmark
    public Object jacksonTreeCast() throws Exception {
        return twice(castBody);
    }

    @Benchmark
    public Object jacksonTreeCall() throws Exception {
        return twice(callBody);
    }

    @Benchmark
    public Object freshVirtualThreadAlone() throws Exception {
        return onFreshVirtualThread(() -> castBody);
    }

    @Benchmark
    public Object decodeCastFreshVirtualThread() throws Exception {
        return onFreshVirtualThread(() -> envelope.decode(castBody));
    }

    @Benchmark
    public Object decodeCallFreshVirtualThread() throws Exception {
        return onFreshVirtualThread(() -> envelope.decode(callBody));
    }

    @Benchmark
    public Object jacksonTreeCastFreshVirtualThread() throws Exception {
        return onFreshVirtualThread(() -> twice(castBody));
    }

    private static Object onFreshVirtualThread(java.util.concurrent.Callable<Object> work) throws Exception {
        Object[] result = new Object[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result[0] = work.call();
            } catch (Exception e) {
                result[0] = e;
            }
        });
        t.join();
        return result[0];
    }

    private Object twice(byte[] body) throws Exception {
        Map<?, ?> outer = plain.readValue(body, Map.class);
        return plain.readValue(((String) outer.get("oslo.message")).getBytes(StandardCharsets.UTF_8), Object.class);
    }
}

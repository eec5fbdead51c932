package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.InvalidMessage;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.SeamsContract.Router;
import io.jeventlet.rpc.SeamsContract.RouterSerializer;
import io.jeventlet.rpc.Serializer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.testerrors.QuotaExceeded;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seams against Python oslo.messaging 14 on one broker: typed remote
 * errors both ways, a versioned-object serializer against a Python peer
 * using a RequestContextSerializer over oslo's NoOpSerializer, and the
 * size policy's three former silent failures, each now a typed error
 * within a second.
 */
class RabbitSeamsOsloTest {
    /** A small limit, so the probes move little data; the policy is the same at the 16 MiB default. */
    private static final long LIMIT = 256L * 1024;
    private static final int OVER = 300 * 1024;

    static ConfigOpts.Builder conf() {
        return ConfigOpts.builder().commandLine("rpc.transport_url", RabbitBroker.url())
                .commandLine("rabbit.rabbit_retry_interval", "0.2s")
                .commandLine("rabbit.rabbit_retry_backoff", "0.2s")
                .commandLine("rabbit.rabbit_interval_max", "1s");
    }

    /** The Java server the Python client calls. */
    public static final class JavaSide {
        public Object echo(Context ctx, Object x) {
            return x;
        }

        public String big(Context ctx, int n) {
            return "x".repeat(n);
        }

        public void quota(Context ctx, String what) {
            throw new QuotaExceeded("quota of " + what + " exceeded");
        }

        public Router rename(Context ctx, Router router, String name) {
            return new Router(router.id(), name, ctx.get("user") + "@java"
                    + (Boolean.TRUE.equals(ctx.get("deserialized")) ? "" : "(context not deserialized)"));
        }
    }

    private static Map<String, Object> python(String url, String topic, String scenario, String... more) throws Exception {
        return RabbitOsloInteropTest.result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic, "java1", scenario, 20,
                more)).await());
    }

    /** A Python server's failures: ValueError stays a RemoteError with module/args; an allowed module's class is rebuilt; another module is not. */
    @Test
    void pythonFailuresReachJavaTyped() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (OsloRabbitPeer peer = OsloRabbitPeer.server(url, topic, "py1");
             Transport plain = Transport.create(conf().load());
             Transport allowing = Transport.create(conf().override(RpcOpts.ALLOWED_REMOTE_EXMODS,
                     List.of("io.jeventlet.rpc.testerrors", "peer_errors")).load())) {
            RpcClient client = new RpcClient(allowing, new Target(topic).withServer("py1")).withTimeout(20);

            RemoteError value = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "fail",
                    Map.of("message", "bad x")));
            assertEquals("ValueError", value.excType());
            assertEquals("builtins", value.module());
            assertEquals("bad x", value.value());
            assertEquals(List.of("bad x"), value.args());
            assertEquals(Map.of(), value.kwargs());
            assertTrue(value.traceback().contains("ValueError: bad x"), value.traceback());

            QuotaExceeded quota = assertThrows(QuotaExceeded.class, () -> client.call(Context.empty(), "fail_allowed",
                    Map.of("message", "quota of ports exceeded")));
            assertEquals("quota of ports exceeded", quota.getMessage());
            RemoteError cause = assertInstanceOf(RemoteError.class, quota.getCause());
            assertEquals("io.jeventlet.rpc.testerrors", cause.module());
            assertEquals("QuotaExceeded", cause.excType());
            assertEquals(List.of("quota of ports exceeded"), cause.args());
            assertEquals(Map.of("code", 413), cause.kwargs());

            // peer_errors is allowed, but no Java class peer_errors.Forbidden exists: a RemoteError with everything kept.
            RemoteError other = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "fail_other",
                    Map.of("message", "no")));
            assertSame(RemoteError.class, other.getClass());
            assertEquals("Forbidden", other.excType());
            assertEquals("peer_errors", other.module());
            assertEquals(List.of("no", "policy"), other.args());
            assertEquals(Map.of("reason", "policy"), other.kwargs());

            // Without the module allowed, the allowed-module failure stays a RemoteError.
            RemoteError notAllowed = assertThrows(RemoteError.class, () -> new RpcClient(plain,
                    new Target(topic).withServer("py1")).withTimeout(20).call(Context.empty(), "fail_allowed",
                    Map.of("message", "m")));
            assertEquals("io.jeventlet.rpc.testerrors", notAllowed.module());
        }
    }

    /** A Java server's exception reaches a Python client as oslo's RemoteError: Java class name, message, Java traceback. */
    @Test
    void javaFailureReachesPythonAsOslosRemoteError() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (Transport transport = Transport.create(conf().load())) {
            RpcServer server = new RpcServer(transport, new Target(topic).withServer("java1"), List.of(new JavaSide()));
            server.start();
            try {
                Map<String, Object> r = python(url, topic, "java_error");
                assertEquals("RemoteError", r.get("error"), r.toString());
                assertEquals("QuotaExceeded", r.get("exc_type"), r.toString());
                assertEquals("quota of ports exceeded", r.get("value"), r.toString());
                @SuppressWarnings("unchecked")
                List<String> tb = (List<String>) r.get("traceback");
                assertTrue(tb.get(0).startsWith("io.jeventlet.rpc.testerrors.QuotaExceeded: quota of ports exceeded"), tb.get(0));
                assertTrue(tb.stream().anyMatch(l -> l.startsWith("\tat ") && l.contains("JavaSide.quota")), tb.toString());
                // oslo's own message: "Remote error: <class> <value>\n<traceback list>."
                String str = String.valueOf(r.get("str"));
                assertTrue(str.startsWith("Remote error: QuotaExceeded quota of ports exceeded\n['io.jeventlet.rpc.testerrors"
                        + ".QuotaExceeded: quota of ports exceeded\\n'"), str);
                assertTrue(str.endsWith("]."), str);
            } finally {
                server.stop();
                server.await();
            }
        }
    }

    /** A Java client with a versioned-object serializer calls a Python server with a RequestContextSerializer over NoOpSerializer. */
    @Test
    void serializerAgainstPythonServer() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (OsloRabbitPeer peer = OsloRabbitPeer.server(url, topic, "py1", "--serializer", "context");
             Transport transport = Transport.create(conf().load())) {
            Serializer s = new RouterSerializer();
            RpcClient client = new RpcClient(transport, new Target(topic).withServer("py1"), s).withTimeout(20);
            Object r = client.call(Context.of(Map.of("user", "alice", "request_id", "req-java")), "rename",
                    Map.of("router", new Router("r1", "old", "?"), "name", "new"));
            assertEquals(new Router("r1", "new", "alice@python"), r);
        }
    }

    /** A Python client with a RequestContextSerializer over NoOpSerializer calls a Java server with a versioned-object serializer. */
    @Test
    void serializerAgainstPythonClient() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (Transport transport = Transport.create(conf().load())) {
            RpcServer server = new RpcServer(transport, new Target(topic).withServer("java1"), List.of(new JavaSide()),
                    new RouterSerializer());
            server.start();
            try {
                Map<String, Object> r = python(url, topic, "rename", "--serializer", "context");
                @SuppressWarnings("unchecked")
                Map<String, Object> primitive = (Map<String, Object>) r.get("ok");
                assertEquals("Router", primitive.get("nova_object.name"), r.toString());
                assertEquals(Map.of("id", "r9", "name", "from-python", "owner", "carol@java"),
                        primitive.get("nova_object.data"), r.toString());
            } finally {
                server.stop();
                server.await();
            }
        }
    }

    /** Probe 1: a reply over rpc.max_message_size from a Python server ends the Java call with a typed error within a second. */
    @Test
    void oversizedReplyFromPythonFailsAtOnce() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (OsloRabbitPeer peer = OsloRabbitPeer.server(url, topic, "py1");
             Transport transport = Transport.create(conf().override(RpcOpts.MAX_MESSAGE_SIZE, LIMIT).load())) {
            RpcClient client = new RpcClient(transport, new Target(topic).withServer("py1")).withTimeout(30);
            assertEquals("x".repeat(10), client.call(Context.empty(), "big", Map.of("n", 10)), "a small reply passes");
            long t0 = System.nanoTime();
            InvalidMessage e = assertThrows(InvalidMessage.class, () -> client.call(Context.empty(), "big",
                    Map.of("n", OVER)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("rpc.max_message_size = " + LIMIT), e.getMessage());
            assertTrue(e.getMessage().contains("was refused"), e.getMessage());
            assertTrue(seconds < 1, "the refused reply ended the call after " + seconds + " s (timeout 30 s)");
        }
    }

    /** Probes 2 and 3: an oversized request from a Python client, and an oversized Java reply, each answered with an error within a second. */
    @Test
    void oversizedRequestAndReplyToPythonFailAtOnce() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (Transport transport = Transport.create(conf().override(RpcOpts.MAX_MESSAGE_SIZE, LIMIT).load())) {
            RpcServer server = new RpcServer(transport, new Target(topic).withServer("java1"), List.of(new JavaSide()));
            server.start();
            try {
                Map<String, Object> r = python(url, topic, "big_request", "--size", Integer.toString(OVER));
                assertEquals("RemoteError", r.get("error"), r.toString());
                assertEquals("InvalidMessage", r.get("exc_type"), r.toString());
                assertTrue(String.valueOf(r.get("value")).contains("rpc.max_message_size = " + LIMIT), r.toString());
                assertTrue(((Number) r.get("seconds")).doubleValue() < 1, r.toString());

                r = python(url, topic, "big_reply", "--size", Integer.toString(OVER));
                assertEquals("InvalidMessage", r.get("exc_type"), r.toString());
                assertTrue(String.valueOf(r.get("value")).contains("rpc.max_message_size = " + LIMIT), r.toString());
                assertTrue(((Number) r.get("seconds")).doubleValue() < 1, r.toString());

                // And a Java caller of the same server: the oversized reply is a RemoteError at once.
                RpcClient client = new RpcClient(transport, new Target(topic)).withTimeout(30);
                long t0 = System.nanoTime();
                RemoteError e = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "big", Map.of("n", OVER)));
                assertEquals("InvalidMessage", e.excType());
                assertTrue((System.nanoTime() - t0) / 1e9 < 1);
            } finally {
                server.stop();
                server.await();
            }
        }
    }
}

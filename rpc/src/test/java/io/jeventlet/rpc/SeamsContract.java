package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.rpc.testerrors.QuotaExceeded;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The seams (interceptors, serializers, typed remote errors) on one bus: each
 * bus's test class extends this and says how to open a transport. Everything
 * runs on the test thread's hub with real servers.
 */
public abstract class SeamsContract {
    private final List<AutoCloseable> open = new ArrayList<>();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    /** The configuration of a transport on the bus under test (its URL and the bus's test timings). */
    protected abstract io.jeventlet.conf.ConfigOpts.Builder conf();

    /** A transport on the bus under test; {@code allowTestErrors} sets rpc.allowed_remote_exmods to the test package. */
    protected Transport transport(boolean allowTestErrors) {
        io.jeventlet.conf.ConfigOpts.Builder b = conf();
        if (allowTestErrors) {
            b.override(RpcOpts.ALLOWED_REMOTE_EXMODS, List.of("io.jeventlet.rpc.testerrors"));
        }
        return Transport.create(b.load());
    }

    /** A transport on the bus under test accepting messages of at most {@code maxMessageSize} bytes. */
    protected Transport transport(long maxMessageSize) {
        return Transport.create(conf().override(RpcOpts.MAX_MESSAGE_SIZE, maxMessageSize).load());
    }

    /** A topic no other test uses (on a shared broker). */
    protected String topic() {
        return "seams_" + ProcessHandle.current().pid() + "_" + TOPICS.incrementAndGet() + "_" + System.nanoTime() % 100_000;
    }

    /** Runs {@code body}, then closes what it opened in reverse order (before the hub's emptiness is checked). */
    protected void scenario(Runnable body) throws Exception {
        try {
            body.run();
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            open.clear();
        }
    }

    protected <T extends AutoCloseable> T closeLater(T c) {
        open.add(c);
        return c;
    }

    private Transport open(boolean allow) {
        return closeLater(transport(allow));
    }

    private RpcServer serve(Transport t, String topic, Serializer serializer, Object... endpoints) {
        RpcServer s = new RpcServer(t, new Target(topic).withServer("s1"), List.of(endpoints), serializer);
        s.start();
        open.add(() -> {
            s.stop();
            s.await();
        });
        return s;
    }

    /** The endpoint of these tests. */
    public static final class Svc {
        final AtomicInteger runs = new AtomicInteger();
        final CopyOnWriteArrayList<Object> casts = new CopyOnWriteArrayList<>();

        public Map<String, Object> echo(Context ctx, int n) {
            runs.incrementAndGet();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("trace", ctx.get("trace_id"));
            return m;
        }

        public void note(Context ctx, String text) {
            casts.add(text);
        }

        public String secret(Context ctx) {
            runs.incrementAndGet();
            return "leaked";
        }

        public void quota(Context ctx, String what) {
            throw new QuotaExceeded("quota of " + what + " exceeded");
        }

        public String big(Context ctx, int n) {
            return "x".repeat(n);
        }

        public Router rename(Context ctx, Router router, String name) {
            return new Router(router.id(), name, ctx.get("user") + "@" + ctx.get("serialized_by"));
        }
    }

    /** A versioned-object style value: on the wire {"nova_object.name": "Router", "nova_object.data": {...}}. */
    public record Router(String id, String name, String owner) {
    }

    /** Maps Router to its versioned-object primitive and back, and marks the context it carries. */
    public static final class RouterSerializer implements Serializer {
        @Override
        public Object serializeEntity(Context ctx, Object entity) {
            if (entity instanceof Router r) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("id", r.id());
                data.put("name", r.name());
                data.put("owner", r.owner());
                return Map.of("nova_object.name", "Router", "nova_object.namespace", "seams",
                        "nova_object.version", "1.0", "nova_object.data", data);
            }
            return entity;
        }

        @Override
        public Object deserializeEntity(Context ctx, Object entity) {
            if (entity instanceof Map<?, ?> m && "Router".equals(m.get("nova_object.name"))
                    && m.get("nova_object.data") instanceof Map<?, ?> d) {
                return new Router((String) d.get("id"), (String) d.get("name"), (String) d.get("owner"));
            }
            return entity;
        }

        @Override
        public Map<String, Object> serializeContext(Context ctx) {
            Map<String, Object> m = new LinkedHashMap<>(ctx.asMap());
            m.put("serialized_by", "java");
            return m;
        }

        @Override
        public Context deserializeContext(Map<String, Object> context) {
            return Context.of(context).with("deserialized", true);
        }
    }

    /** Records what an interceptor saw, in order. */
    static final class Recorder implements RpcInterceptor {
        final String name;
        final List<String> log;
        final List<Invocation> seen = new CopyOnWriteArrayList<>();
        final List<Object> outcomes = new CopyOnWriteArrayList<>();

        Recorder(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public Object intercept(Invocation inv, Proceed next) {
            seen.add(inv);
            log.add(inv.side() + " " + name + ">");
            try {
                Object r = next.proceed(inv);
                outcomes.add(r);
                return r;
            } catch (RuntimeException e) {
                outcomes.add(e);
                throw e;
            } finally {
                log.add(inv.side() + " <" + name);
            }
        }
    }

    /** Interceptors compose, the first listed outermost, on the client around the call and on the server around the method. */
    @Test
    void interceptorsComposeOnBothSides() throws Exception {
        scenario(() -> {
            List<String> log = new CopyOnWriteArrayList<>();
            Recorder a = new Recorder("A", log);
            Recorder b = new Recorder("B", log);
            Transport plain = open(false);
            Transport t = plain.intercept(a, b);
            String topic = topic();
            Svc svc = new Svc();
            serve(t, topic, RpcClient.NO_SERIALIZER, svc);
            RpcClient client = new RpcClient(t, new Target(topic)).withTimeout(10);
            assertEquals(Map.of("n", 7, "trace", "t-1"), toPlain(client.call(Context.of(Map.of("trace_id", "t-1")), "echo",
                    Map.of("n", 7))));
            assertEquals(List.of("CLIENT A>", "CLIENT B>", "SERVER A>", "SERVER B>", "SERVER <B", "SERVER <A",
                    "CLIENT <B", "CLIENT <A"), log);
            Invocation clientSide = a.seen.get(0);
            assertEquals(Invocation.Side.CLIENT, clientSide.side());
            assertEquals(new Target(topic), clientSide.target());
            assertEquals("echo", clientSide.method());
            assertEquals(10.0, clientSide.timeout());
            assertNull(clientSide.endpoint());
            Invocation serverSide = a.seen.get(1);
            assertEquals(Invocation.Side.SERVER, serverSide.side());
            assertEquals("Svc", serverSide.endpoint());
            assertEquals(new Target(topic).withServer("s1"), serverSide.target());
            assertEquals(Map.of("n", 7), serverSide.args());
            assertEquals("t-1", serverSide.context().get("trace_id"));
            // The plain transport under the view runs none of them.
            log.clear();
            new RpcClient(plain, new Target(topic)).withTimeout(10).call(Context.empty(), "echo", Map.of("n", 1));
            assertEquals(List.of("SERVER A>", "SERVER B>", "SERVER <B", "SERVER <A"), log, "only the server's view intercepts");
            // Intercepting a view puts the new interceptors outside.
            log.clear();
            Recorder c = new Recorder("C", log);
            new RpcClient(t.intercept(c), new Target(topic)).withTimeout(10).call(Context.empty(), "echo", Map.of("n", 1));
            assertEquals("CLIENT C>", log.get(0));
            assertEquals("CLIENT A>", log.get(1));
        });
    }

    /** The server side sees the request's namespace and version in its target; a cast is marked and has no timeout. */
    @Test
    void castsAndVersionsAreVisible() throws Exception {
        scenario(() -> {
            List<String> log = new CopyOnWriteArrayList<>();
            Recorder r = new Recorder("R", log);
            Transport t = open(false).intercept(r);
            String topic = topic();
            Svc svc = new Svc();
            serve(t, topic, RpcClient.NO_SERIALIZER, svc);
            RpcClient client = new RpcClient(t, new Target(topic)).withTimeout(10);
            client.call(Context.empty(), "echo", Map.of("n", 1));
            client.cast(Context.empty(), "note", Map.of("text", "hello"));
            poll(() -> r.seen.size() >= 4, "the cast reached the server's interceptor");
            Invocation clientCast = r.seen.get(2);
            assertTrue(clientCast.cast());
            assertEquals(0.0, clientCast.timeout());
            Invocation serverCast = r.seen.get(3);
            assertEquals(Invocation.Side.SERVER, serverCast.side());
            assertTrue(serverCast.cast());
            assertEquals("Svc", serverCast.endpoint());
            assertEquals(List.of("hello"), svc.casts);
            client.withVersion("1.0").call(Context.empty(), "echo", Map.of("n", 1));
            assertEquals("1.0", r.seen.get(5).target().version());
        });
    }

    /** Interceptors may rewrite the context and the arguments on either side. */
    @Test
    void interceptorsRewriteContextAndArguments() throws Exception {
        scenario(() -> {
            RpcInterceptor clientTrace = (inv, next) -> inv.side() == Invocation.Side.CLIENT
                    ? next.proceed(inv.withContext(inv.context().with("trace_id", "from-client"))) : next.proceed(inv);
            RpcInterceptor serverDouble = (inv, next) -> {
                if (inv.side() != Invocation.Side.SERVER) {
                    return next.proceed(inv);
                }
                Map<String, Object> args = new LinkedHashMap<>(inv.args());
                args.put("n", ((Number) args.get("n")).intValue() * 2);
                return next.proceed(inv.withArgs(args));
            };
            Transport t = open(false).intercept(clientTrace, serverDouble);
            String topic = topic();
            serve(t, topic, RpcClient.NO_SERIALIZER, new Svc());
            Object r = new RpcClient(t, new Target(topic)).withTimeout(10).call(Context.empty(), "echo", Map.of("n", 21));
            assertEquals(Map.of("n", 42, "trace", "from-client"), toPlain(r));
        });
    }

    /** An interceptor refuses by throwing: on the client nothing is sent; on the server the caller gets a RemoteError. */
    @Test
    void interceptorsRefuse() throws Exception {
        scenario(() -> {
            RpcInterceptor deny = (inv, next) -> {
                if (inv.method().equals("secret")) {
                    throw new SecurityException("method " + inv.method() + " is not allowed on " + inv.side());
                }
                return next.proceed(inv);
            };
            String topic = topic();
            Svc svc = new Svc();
            serve(open(false).intercept(deny), topic, RpcClient.NO_SERIALIZER, svc);
            RpcClient client = new RpcClient(open(false), new Target(topic)).withTimeout(10);
            RemoteError e = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "secret", Map.of()));
            assertEquals("SecurityException", e.excType());
            assertEquals("java.lang", e.module());
            assertTrue(e.value().contains("not allowed on SERVER"), e.value());
            assertEquals(0, svc.runs.get(), "the endpoint method did not run");

            Transport refusing = open(false).intercept(deny);
            SecurityException local = assertThrows(SecurityException.class,
                    () -> new RpcClient(refusing, new Target(topic)).withTimeout(10).call(Context.empty(), "secret", Map.of()));
            assertTrue(local.getMessage().contains("CLIENT"));
            assertEquals(0, svc.runs.get());
        });
    }

    /** When dispatch matched nothing the server interceptor sees endpoint null and proceeding throws the refusal. */
    @Test
    void unmatchedRequestsReachInterceptorsWithoutEndpoint() throws Exception {
        scenario(() -> {
            List<String> log = new CopyOnWriteArrayList<>();
            Recorder r = new Recorder("R", log);
            String topic = topic();
            serve(open(false).intercept(r), topic, RpcClient.NO_SERIALIZER, new Svc());
            RpcClient client = new RpcClient(open(false), new Target(topic)).withTimeout(10);
            RemoteError none = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "nothing", Map.of()));
            assertEquals("NoSuchMethod", none.excType());
            assertNull(r.seen.get(0).endpoint());
            assertInstanceOf(NoSuchMethod.class, r.outcomes.get(0));
            RemoteError version = assertThrows(RemoteError.class,
                    () -> client.withVersion("9.0").call(Context.empty(), "echo", Map.of("n", 1)));
            assertEquals("UnsupportedVersion", version.excType());
            assertNull(r.seen.get(1).endpoint());
            assertInstanceOf(UnsupportedVersion.class, r.outcomes.get(1));
        });
    }

    /** The endpoint's own exception reaches the server's interceptors as itself. */
    @Test
    void interceptorsObserveTheEndpointsException() throws Exception {
        scenario(() -> {
            List<String> log = new CopyOnWriteArrayList<>();
            Recorder r = new Recorder("R", log);
            String topic = topic();
            serve(open(false).intercept(r), topic, RpcClient.NO_SERIALIZER, new Svc());
            RpcClient client = new RpcClient(open(false), new Target(topic)).withTimeout(10);
            assertThrows(RemoteError.class, () -> client.call(Context.empty(), "quota", Map.of("what", "ports")));
            assertInstanceOf(QuotaExceeded.class, r.outcomes.get(0));
        });
    }

    /** A serializer maps argument values, results and the context on both sides. */
    @Test
    void serializerMapsArgumentsResultsAndContext() throws Exception {
        scenario(() -> {
            String topic = topic();
            Serializer s = new RouterSerializer();
            serve(open(false), topic, s, new Svc());
            RpcClient client = new RpcClient(open(false), new Target(topic), s).withTimeout(10);
            Object r = client.call(Context.of(Map.of("user", "alice")), "rename",
                    Map.of("router", new Router("r1", "old", "?"), "name", "new"));
            assertEquals(new Router("r1", "new", "alice@java"), r);
            // Without a serializer the client sees the versioned-object primitive on the wire.
            Object raw = new RpcClient(open(false), new Target(topic)).withTimeout(10).call(Context.of(Map.of("user", "bob")),
                    "rename", Map.of("router", s.serializeEntity(Context.empty(), new Router("r2", "x", "?")), "name", "y"));
            Map<?, ?> primitive = (Map<?, ?>) raw;
            assertEquals("Router", primitive.get("nova_object.name"));
            assertEquals(Map.of("id", "r2", "name", "y", "owner", "bob@null"), primitive.get("nova_object.data"));
        });
    }

    /** A failure's module and args reach the caller; rpc.allowed_remote_exmods rebuilds a known class with the RemoteError as cause. */
    @Test
    void remoteErrorsAreTyped() throws Exception {
        scenario(() -> {
            String topic = topic();
            serve(open(false), topic, RpcClient.NO_SERIALIZER, new Svc());
            RemoteError plain = assertThrows(RemoteError.class, () -> new RpcClient(open(false), new Target(topic))
                    .withTimeout(10).call(Context.empty(), "quota", Map.of("what", "ports")));
            assertEquals("QuotaExceeded", plain.excType());
            assertEquals("io.jeventlet.rpc.testerrors", plain.module());
            assertEquals(List.of("quota of ports exceeded"), plain.args());
            assertEquals(Map.of(), plain.kwargs());
            QuotaExceeded typed = assertThrows(QuotaExceeded.class, () -> new RpcClient(open(true), new Target(topic))
                    .withTimeout(10).call(Context.empty(), "quota", Map.of("what", "routers")));
            assertEquals("quota of routers exceeded", typed.getMessage());
            RemoteError cause = assertInstanceOf(RemoteError.class, typed.getCause());
            assertEquals("QuotaExceeded", cause.excType());
            assertTrue(cause.traceback().contains("QuotaExceeded"), cause.traceback());
            // An allowed module whose class does not exist, or a disallowed one, stays a RemoteError.
            RemoteError other = assertThrows(RemoteError.class, () -> new RpcClient(open(true), new Target(topic))
                    .withTimeout(10).call(Context.empty(), "echo", Map.of("n", "not a number")));
            assertEquals("IllegalArgumentException", other.excType());
            assertSame(RemoteError.class, other.getClass());
        });
    }

    /**
     * One size policy, never a silent timeout: a sender refuses an oversized
     * request at once naming the size and rpc.max_message_size; a server
     * with a smaller limit than its caller answers an oversized request with
     * an error; an oversized reply ends its call with an error at once.
     */
    @Test
    void oversizedMessagesFailAtOnce() throws Exception {
        scenario(() -> {
            String topic = topic();
            Transport small = closeLater(transport(64L * 1024));
            serve(small, topic, RpcClient.NO_SERIALIZER, new Svc());
            RpcClient bigClient = new RpcClient(closeLater(transport(1024L * 1024)), new Target(topic)).withTimeout(30);
            RpcClient smallClient = new RpcClient(small, new Target(topic)).withTimeout(30);
            String payload = "y".repeat(100 * 1024);

            long t0 = System.nanoTime();
            InvalidMessage refused = assertThrows(InvalidMessage.class,
                    () -> smallClient.call(Context.empty(), "echo", Map.of("n", payload)));
            assertTrue(refused.getMessage().contains("rpc.max_message_size = 65536"), refused.getMessage());
            assertTrue(refused.getMessage().matches("(?s).*is \\d+ bytes.*"), refused.getMessage());

            MessagingException byServer = assertThrows(MessagingException.class,
                    () -> bigClient.call(Context.empty(), "echo", Map.of("n", payload)));
            assertTrue(byServer.getMessage().contains("rpc.max_message_size"), byServer.getMessage());

            MessagingException reply = assertThrows(MessagingException.class,
                    () -> bigClient.call(Context.empty(), "big", Map.of("n", 100 * 1024)));
            assertTrue(reply.getMessage().contains("rpc.max_message_size"), reply.getMessage());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 3, "three refusals took " + seconds + " s; each must come at once, not after the 30 s timeout");
            assertEquals(Map.of("n", 5, "trace", "t"), toPlain(smallClient.call(Context.of(Map.of("trace_id", "t")),
                    "echo", Map.of("n", 5))), "the server goes on");
        });
    }

    /** The default rpc.max_message_size is 16 MiB, the same for every bus. */
    @Test
    void defaultMaxMessageSizeIs16MiB() throws Exception {
        scenario(() -> assertEquals(16L << 20, closeLater(transport(false)).conf().get(RpcOpts.MAX_MESSAGE_SIZE)));
    }

    /** Converts a result map's numbers to ints for comparison. */
    private static Map<String, Object> toPlain(Object r) {
        Map<String, Object> m = new LinkedHashMap<>();
        ((Map<?, ?>) r).forEach((k, v) -> m.put((String) k, v instanceof Number n ? n.intValue() : v));
        return m;
    }

    static void poll(java.util.function.BooleanSupplier cond, String what) {
        double deadline = System.nanoTime() / 1e9 + 10;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() / 1e9 > deadline) {
                throw new AssertionError(what + " did not happen within 10 s");
            }
            io.jeventlet.Eventlet.sleep(0.01);
        }
    }
}

package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.Eventlet;
import io.jeventlet.LogCapture;
import io.jeventlet.GreenThread;
import io.jeventlet.VirtualHubs;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.spi.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The server: errors to the caller, logging, duplicates, bad input, concurrency and its lifecycle. */
class RpcServerTest {

    /** An endpoint with failing, slow and observing methods. */
    public static final class Service {
        int runs;
        int running;
        int maxRunning;
        final List<String> requestIds = new ArrayList<>();

        public String boom(Context ctx) {
            throw new IllegalStateException("boom");
        }

        public String expected(Context ctx) {
            throw new ExpectedException(new IllegalArgumentException("no such router"));
        }

        public int count(Context ctx) {
            return ++runs;
        }

        public String slow(Context ctx, double seconds) {
            running++;
            maxRunning = Math.max(maxRunning, running);
            try {
                Eventlet.sleep(seconds);
            } finally {
                running--;
            }
            return "slept " + seconds;
        }

        public String fast(Context ctx) {
            return "fast";
        }

        public Object unencodable(Context ctx) {
            return new Object();
        }

        public String huge(Context ctx) {
            return "x".repeat(17 << 20);
        }

        public void mdc(Context ctx) {
            requestIds.add(MDC.get(RpcServer.MDC_REQUEST_ID));
        }
    }

    private static RemoteError remote(Runnable r) {
        return assertThrows(RemoteError.class, r::run);
    }

    /** A method's exception reaches the caller as RemoteError with its simple class name, message and trace; the server goes on. */
    @Test
    void methodFailureIsRemoteError() throws Exception {
        Rpc.withServer("methodFailureIsRemoteError", new Service(), client -> {
            RemoteError e = remote(() -> client.call(Context.empty(), "boom", Map.of()));
            assertEquals("IllegalStateException", e.excType());
            assertEquals("boom", e.value());
            assertTrue(e.traceback().contains("RpcServerTest$Service.boom"), e.traceback());
            assertEquals(1, client.call(Context.empty(), "count", Map.of()));
            return null;
        });
    }

    /** NoSuchMethod, UnsupportedVersion and bad arguments reach the caller as RemoteError of that type; the server goes on. */
    @Test
    void dispatchErrorsAreRemoteErrors() throws Exception {
        Rpc.withServer("dispatchErrorsAreRemoteErrors", new Service(), client -> {
            assertEquals("NoSuchMethod", remote(() -> client.call(Context.empty(), "nope", Map.of())).excType());
            assertEquals("NoSuchMethod", remote(() -> client.call(Context.empty(), "getClass", Map.of())).excType());
            assertEquals("UnsupportedVersion",
                    remote(() -> client.withVersion("2.0").call(Context.empty(), "count", Map.of())).excType());
            RemoteError bad = remote(() -> client.call(Context.empty(), "slow", Map.of("secs", 1)));
            assertEquals("IllegalArgumentException", bad.excType());
            assertTrue(bad.value().contains("'secs'"), bad.value());
            assertEquals(1, client.call(Context.empty(), "count", Map.of()));
            return null;
        });
    }

    /** A result that cannot be encoded, or is over rpc.max_message_size, reaches the caller as RemoteError InvalidMessage. */
    @Test
    void unsendableResultIsAnswered() throws Exception {
        Rpc.withServer("unsendableResult", new Service(), client -> {
            assertEquals("InvalidMessage", remote(() -> client.call(Context.empty(), "unencodable", Map.of())).excType());
            RemoteError big = remote(() -> client.call(Context.empty(), "huge", Map.of()));
            assertEquals("InvalidMessage", big.excType());
            assertTrue(big.value().contains("rpc.max_message_size"), big.value());
            InvalidMessage tooBig = assertThrows(InvalidMessage.class,
                    () -> client.call(Context.empty(), "count", Map.of("x", "y".repeat(17 << 20))));
            assertTrue(tooBig.getMessage().contains("rpc.max_message_size"));
            assertEquals(0, DriverTransport.of(client.transport()).replies().pending());
            assertEquals(1, client.call(Context.empty(), "count", Map.of()));
            return null;
        });
    }

    /** An ExpectedException reaches the caller as its cause, and the server logs it at DEBUG only. */
    @Test
    void expectedExceptionIsLoggedAtDebugOnly() throws Exception {
        try (LogCapture logs = new LogCapture(RpcServer.class, Level.DEBUG)) {
            Rpc.withServer("expectedException", new Service(), client -> {
                RemoteError e = remote(() -> client.call(Context.empty(), "expected", Map.of()));
                assertEquals("IllegalArgumentException", e.excType());
                assertEquals("no such router", e.value());
                return null;
            });
            assertTrue(logs.detailedLines().stream().noneMatch(l -> l.startsWith("ERROR") || l.startsWith("WARN")),
                    logs.detailedLines().toString());
            assertTrue(logs.detailedLines().stream().anyMatch(l -> l.startsWith("DEBUG expected exception")));
        }
    }

    /** Secret context values never appear in any log line, at any level; they show as ****. */
    @Test
    void secretsAreMaskedInLogs() throws Exception {
        try (LogCapture server = new LogCapture(RpcServer.class, Level.DEBUG);
                LogCapture client = new LogCapture(RpcClient.class, Level.DEBUG)) {
            Context ctx = Context.of(Map.of("auth_token", "tok-SECRET1", "db_password", "pw-SECRET2",
                    "request_id", "req-7"));
            Rpc.withServer("secretsAreMasked", new Service(), c -> {
                remote(() -> c.call(ctx, "boom", Map.of()));
                remote(() -> c.call(ctx, "nope", Map.of()));
                c.call(ctx, "count", Map.of());
                return null;
            });
            List<String> all = new ArrayList<>(server.detailedLines());
            all.addAll(client.detailedLines());
            assertTrue(all.stream().anyMatch(l -> l.contains("auth_token=****")), all.toString());
            assertTrue(all.stream().noneMatch(l -> l.contains("SECRET")), all.toString());
        }
    }

    /** While a request runs its context's request_id is in the MDC, so every log line carries it; after, it is gone. */
    @Test
    void requestIdIsInMdc() throws Exception {
        Service s = new Service();
        try (LogCapture logs = new LogCapture(RpcServer.class, Level.DEBUG)) {
            Rpc.withServer("requestIdIsInMdc", s, client -> {
                client.call(Context.of(Map.of("request_id", "req-42")), "mdc", Map.of());
                client.call(Context.empty(), "mdc", Map.of());
                remote(() -> client.call(Context.of(Map.of("request_id", "req-43")), "boom", Map.of()));
                return null;
            });
            assertTrue(logs.detailedLines().stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("request_id=req-43")),
                    logs.detailedLines().toString());
        }
        assertEquals(java.util.Arrays.asList("req-42", null), s.requestIds);
    }

    /** A request whose _unique_id was seen before is not run a second time. */
    @Test
    void duplicatesAreNotRunTwice() throws Exception {
        Service s = new Service();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://duplicates"); EventCounter events = EventCounter.of(t)) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(s));
                server.start();
                DriverTransport dt = DriverTransport.of(t);
                RequestMessage cast = new RequestMessage("count", Map.of(), null, null, Context.empty(),
                        RequestMessage.newId(), null, null, null);
                byte[] body = dt.envelope().encode(cast.toWire());
                dt.send(new Target("t"), new OutgoingMessage(body, null, 0));
                dt.send(new Target("t"), new OutgoingMessage(body, null, 0));
                RpcClient client = new RpcClient(t, new Target("t"));
                assertEquals(2, client.call(Context.empty(), "count", Map.of()), "the copy did not run");
                assertEquals(1, events.dropped("duplicate_request"));
                server.stop();
                server.await();
            }
        });
    }

    /** Bodies that are not JSON, too deep or of a wrong envelope version are counted and dropped; the server goes on. */
    @Test
    void malformedRequestsAreCountedAndServerGoesOn() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://malformed"); LogCapture logs = new LogCapture(RpcServer.class, Level.DEBUG);
                    EventCounter events = EventCounter.of(t)) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(new Service()));
                server.start();
                DriverTransport dt = DriverTransport.of(t);
                for (String bad : List.of("not json", "[" .repeat(500) + "]".repeat(500),
                        "{\"oslo.version\":\"9.0\",\"oslo.message\":\"{}\"}", "{\"args\":{}}")) {
                    dt.send(new Target("t"), new OutgoingMessage(bad.getBytes(StandardCharsets.UTF_8), null, 0));
                }
                RpcClient client = new RpcClient(t, new Target("t"));
                assertEquals(1, client.call(Context.empty(), "count", Map.of()));
                assertEquals(4, events.dropped("invalid_request"));
                assertEquals(4, logs.detailedLines().stream().filter(l -> l.startsWith("WARN rejecting a request")).count());
                server.stop();
                server.await();
            }
        });
    }

    /** A malformed call that names its reply address is answered with InvalidMessage instead of left to time out. */
    @Test
    void malformedCallIsAnswered() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://malformedCall")) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(new Service()));
                server.start();
                DriverTransport dt = DriverTransport.of(t);
                String msgId = RequestMessage.newId();
                byte[] body = dt.envelope().encode(Map.of("args", Map.of(), "_msg_id", msgId,
                        "_reply_q", dt.driver().replyAddress()));
                PendingCall call = dt.replies().register(msgId);
                try {
                    dt.send(new Target("t"), new OutgoingMessage(body, msgId, 10));
                    RemoteError e = assertThrows(RemoteError.class, () -> call.await(10, 0, "malformed", dt.remoteErrors()));
                    assertEquals("InvalidMessage", e.excType());
                    assertTrue(e.value().contains("no 'method'"), e.value());
                } finally {
                    dt.replies().remove(msgId);
                }
                server.stop();
                server.await();
            }
        });
    }

    /** A slow request does not hold up others: a fast call returns while the slow one still runs. */
    @Test
    void slowEndpointDoesNotHoldUpOthers() throws Exception {
        Rpc.withServer("slowEndpoint", new Service(), client -> {
            Hub hub = Hub.get();
            GreenThread<Object> slow = Eventlet.spawn(() -> client.call(Context.empty(), "slow", Map.of("seconds", 30)));
            Eventlet.sleep(0.1);
            double start = hub.clock();
            assertEquals("fast", client.call(Context.empty(), "fast", Map.of()));
            assertEquals(start, hub.clock(), 1e-9, "no virtual time passed for the fast call");
            assertFalse(slow.ready());
            assertEquals("slept 30.0", slow.await());
            return null;
        });
    }

    /** At most rpc.executor_thread_pool_size requests run at once; the rest wait their turn and all are answered. */
    @Test
    void poolSizeBoundsConcurrency() throws Exception {
        Service s = new Service();
        VirtualHubs.on(() -> {
            ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, "inproc://poolSize")
                    .override(RpcOpts.EXECUTOR_THREAD_POOL_SIZE, 3).load();
            try (Transport t = Transport.create(conf)) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(s));
                server.start();
                RpcClient client = new RpcClient(t, new Target("t"));
                List<GreenThread<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    calls.add(Eventlet.spawn(() -> client.call(Context.empty(), "slow", Map.of("seconds", 1))));
                }
                for (GreenThread<Object> c : calls) {
                    assertEquals("slept 1.0", c.await());
                }
                server.stop();
                server.await();
            }
        });
        assertEquals(3, s.maxRunning);
    }

    /** A server stopped with calls in flight answers every one of them, then await returns; later calls fail fast. */
    @Test
    void stopAnswersCallsInFlight() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://stopInFlight")) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(new Service()));
                server.start();
                RpcClient client = new RpcClient(t, new Target("t"));
                List<GreenThread<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(Eventlet.spawn(() -> client.call(Context.empty(), "slow", Map.of("seconds", 5))));
                }
                Eventlet.sleep(1);
                assertEquals(20, server.outstanding());
                server.stop();
                assertEquals(RpcServer.State.STOPPING, server.state());
                assertThrows(MessageDeliveryFailure.class, () -> client.call(Context.empty(), "fast", Map.of()));
                server.await();
                assertEquals(RpcServer.State.STOPPED, server.state());
                double answeredAt = Hub.get().clock();
                for (GreenThread<Object> c : calls) {
                    assertEquals("slept 5.0", c.await());
                }
                assertEquals(answeredAt, Hub.get().clock(), "every reply was sent before await returned");
                assertEquals(0, server.outstanding());
            }
        });
    }

    /** The lifecycle: one start, stop before start, await without start, a target without server. */
    @Test
    void lifecycle() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://lifecycle")) {
                assertThrows(IllegalArgumentException.class, () -> new RpcServer(t, new Target("t"), List.of()));
                RpcServer never = new RpcServer(t, new Target("t").withServer("s"), List.of());
                never.await();
                never.stop();
                assertEquals(RpcServer.State.STOPPED, never.state());
                assertThrows(IllegalStateException.class, never::start);
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(new Service()));
                server.start();
                assertThrows(IllegalStateException.class, server::start);
                server.stop();
                server.stop();
                server.await();
                assertEquals(RpcServer.State.STOPPED, server.state());
                int live = RpcLoadTest.liveGreenThreads(Hub.get());
                assertEquals(1, live, "only the test's own green thread is left: " + Hub.get().dump());
            }
        });
    }

    /** A server stopped from another OS thread still answers what it took and reaches STOPPED; await there is refused. */
    @Test
    void stopFromAnotherThread() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://stopFromAnotherThread")) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(new Service()));
                server.start();
                RpcClient client = new RpcClient(t, new Target("t"));
                GreenThread<Object> call = Eventlet.spawn(() -> client.call(Context.empty(), "slow", Map.of("seconds", 2)));
                Eventlet.sleep(1);
                java.util.concurrent.atomic.AtomicReference<Throwable> awaitElsewhere = new java.util.concurrent.atomic.AtomicReference<>();
                Thread other = Thread.ofPlatform().start(() -> {
                    server.stop();
                    try {
                        server.await();
                    } catch (Throwable e) {
                        awaitElsewhere.set(e);
                    }
                });
                other.join(5000);
                assertTrue(awaitElsewhere.get() instanceof IllegalStateException, "await is hub-confined");
                server.await();
                assertEquals("slept 2.0", call.await());
            }
        });
    }

    /** A request_id-less, context-less cast with no namespace is served like oslo's: no version means 1.0. */
    @Test
    void castWithoutVersion() throws Exception {
        Service s = new Service();
        Rpc.withServer("castWithoutVersion", s, client -> {
            client.cast(Context.empty(), "count", Map.of());
            assertEquals(2, client.call(Context.empty(), "count", Map.of()));
            return null;
        });
    }
}

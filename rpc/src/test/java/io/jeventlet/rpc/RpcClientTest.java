package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.Eventlet;
import io.jeventlet.LogCapture;
import io.jeventlet.GreenThread;
import io.jeventlet.Timeout;
import io.jeventlet.VirtualHubs;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.spi.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client: timeouts on the hub clock, the call monitor, version cap, targets, withers, closing. */
class RpcClientTest {

    /** An endpoint that sleeps on request. */
    public static final class Sleeper {
        public String sleep(Context ctx, double seconds) {
            Eventlet.sleep(seconds);
            return "woke";
        }
    }

    /** A listener that takes every request and never answers: a silent server. */
    private static Listener silent(Transport t, Target target) {
        return DriverTransport.of(t).listen(target, m -> { });
    }

    /** 50 calls with a 60 s timeout to a silent server end in MessagingTimeout at 60 s virtual time, in well under a second of real time. */
    @Test
    void timeoutsRunInVirtualTime() throws Exception {
        long realStart = System.nanoTime();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://timeoutsVirtual")) {
                silent(t, new Target("t").withServer("s"));
                RpcClient client = new RpcClient(t, new Target("t"));
                assertEquals(60.0, client.timeout());
                Hub hub = Hub.get();
                double start = hub.clock();
                List<GreenThread<Double>> calls = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    calls.add(Eventlet.spawn(() -> {
                        MessagingTimeout e = assertThrows(MessagingTimeout.class,
                                () -> client.call(Context.empty(), "m", Map.of()));
                        assertTrue(e.getMessage().contains("after 60.0 s"), e.getMessage());
                        return hub.clock() - start;
                    }));
                }
                for (GreenThread<Double> c : calls) {
                    assertEquals(60.0, c.await(), 1e-9);
                }
                assertEquals(0, DriverTransport.of(t).replies().pending());
            }
        });
        assertTrue(System.nanoTime() - realStart < 5_000_000_000L, "took " + (System.nanoTime() - realStart) / 1e6 + " ms");
    }

    /** With a call monitor, a slow method that heartbeats outlives the monitor timeout and returns its result. */
    @Test
    void heartbeatsKeepSlowCallAlive() throws Exception {
        try (LogCapture logs = new LogCapture(RpcServer.class, Level.DEBUG)) {
            Rpc.withServer("heartbeatsKeepAlive", new Sleeper(), client -> {
                RpcClient monitored = client.withTimeout(100).withCallMonitorTimeout(4);
                double start = Hub.get().clock();
                assertEquals("woke", monitored.call(Context.empty(), "sleep", Map.of("seconds", 31)));
                assertEquals(31.0, Hub.get().clock() - start, 1e-9);
                return null;
            });
            long beats = logs.detailedLines().stream().filter(l -> l.contains("call-monitor heartbeat")).count();
            assertEquals(15, beats, "a heartbeat every int(4)/2 = 2 s for 31 s: at 2, 4, ..., 30");
        }
    }

    /** With a call monitor, a server that goes silent ends the call after the monitor timeout, not the overall one. */
    @Test
    void silentServerEndsMonitoredCall() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://silentMonitored")) {
                silent(t, new Target("t").withServer("s"));
                RpcClient client = new RpcClient(t, new Target("t")).withTimeout(100).withCallMonitorTimeout(4);
                double start = Hub.get().clock();
                MessagingTimeout e = assertThrows(MessagingTimeout.class, () -> client.call(Context.empty(), "m", Map.of()));
                assertTrue(e.getMessage().contains("call_monitor_timeout"), e.getMessage());
                assertEquals(4.0, Hub.get().clock() - start, 1e-9);
            }
        });
    }

    /** Without a call monitor a slow method is still bounded by the overall timeout. */
    @Test
    void overallTimeoutBoundsSlowMethod() throws Exception {
        Rpc.withServer("overallTimeout", new Sleeper(), client -> {
            double start = Hub.get().clock();
            assertThrows(MessagingTimeout.class,
                    () -> client.withTimeout(5).call(Context.empty(), "sleep", Map.of("seconds", 30)));
            assertEquals(5.0, Hub.get().clock() - start, 1e-9);
            return null;
        });
    }

    /** A reply that comes after its call timed out is dropped and counted; the client goes on. */
    @Test
    void lateReplyIsDropped() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://lateReply"); EventCounter events = EventCounter.of(t)) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(new Sleeper()));
                server.start();
                RpcClient client = new RpcClient(t, new Target("t"));
                assertThrows(MessagingTimeout.class,
                        () -> client.withTimeout(1).call(Context.empty(), "sleep", Map.of("seconds", 2)));
                server.stop();
                server.await();
                assertEquals(1, events.dropped("unknown_reply"));
                assertEquals(0, DriverTransport.of(t).replies().pending());
            }
        });
    }

    /** A Timeout around a call ends it and removes its pending-reply entry. */
    @Test
    void timeoutAroundCallCleansUp() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://timeoutAround")) {
                silent(t, new Target("t").withServer("s"));
                RpcClient client = new RpcClient(t, new Target("t"));
                assertThrows(Timeout.class, () -> Timeout.withTimeout(1, () -> client.call(Context.empty(), "m", Map.of())));
                assertEquals(0, DriverTransport.of(t).replies().pending());
            }
        });
    }

    /** Closing the transport ends a waiting call at once with MessagingException; later calls fail too. */
    @Test
    void closeEndsWaitingCalls() throws Exception {
        VirtualHubs.on(() -> {
            Transport t = Transport.create("inproc://closeEnds");
            silent(t, new Target("t").withServer("s"));
            RpcClient client = new RpcClient(t, new Target("t"));
            GreenThread<Object> call = Eventlet.spawn(() -> client.call(Context.empty(), "m", Map.of()));
            Eventlet.sleep(1);
            double start = Hub.get().clock();
            t.close();
            t.close();
            MessagingException e = assertThrows(MessagingException.class, call::await);
            assertFalse(e instanceof MessagingTimeout);
            assertEquals(start, Hub.get().clock());
            assertThrows(MessagingException.class, () -> client.call(Context.empty(), "m", Map.of()));
            assertThrows(MessagingException.class, () -> client.cast(Context.empty(), "m", Map.of()));
        });
    }

    /** A version above the cap is refused locally with UnsupportedVersion, as is no version under a cap (oslo's rule). */
    @Test
    void versionCap() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://versionCap")) {
                silent(t, new Target("t").withServer("s"));
                RpcClient capped = new RpcClient(t, new Target("t")).withVersionCap("1.2");
                assertTrue(capped.canSendVersion("1.2"));
                assertTrue(capped.canSendVersion("1.0"));
                assertFalse(capped.canSendVersion("1.3"));
                assertFalse(capped.canSendVersion("2.0"));
                assertTrue(new RpcClient(t, new Target("t")).canSendVersion("9.9"));
                assertThrows(UnsupportedVersion.class,
                        () -> capped.withVersion("1.3").call(Context.empty(), "m", Map.of()));
                assertThrows(UnsupportedVersion.class,
                        () -> capped.withVersion("1.3").cast(Context.empty(), "m", Map.of()));
                assertThrows(UnsupportedVersion.class, () -> capped.cast(Context.empty(), "m", Map.of()));
                capped.withVersion("1.1").cast(Context.empty(), "m", Map.of());
                assertThrows(IllegalArgumentException.class, () -> capped.withVersionCap("x"));
                assertThrows(IllegalArgumentException.class, () -> capped.withVersion("1"));
            }
        });
    }

    /** A call to a fanout target, or any message without a topic, is InvalidTarget. */
    @Test
    void invalidTargets() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://invalidTargets")) {
                RpcClient client = new RpcClient(t, new Target("t"));
                assertThrows(InvalidTarget.class, () -> client.withFanout(true).call(Context.empty(), "m", Map.of()));
                assertThrows(InvalidTarget.class, () -> client.withTopic(null).call(Context.empty(), "m", Map.of()));
                assertThrows(InvalidTarget.class, () -> client.withTopic(null).cast(Context.empty(), "m", Map.of()));
            }
        });
    }

    /** Withers return new clients and leave the original alone; the timeout defaults to rpc.response_timeout. */
    @Test
    void withers() {
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, "inproc://withers")
                .override(RpcOpts.RESPONSE_TIMEOUT, 7.0).load();
        try (Transport t = Transport.create(conf)) {
            RpcClient base = new RpcClient(t, new Target("t"));
            assertEquals(7.0, base.timeout());
            RpcClient b = base.withServer("s").withNamespace("ns").withVersion("1.4").withFanout(true).withTopic("u")
                    .withTimeout(3).withVersionCap("1.9").withCallMonitorTimeout(10);
            assertNotSame(base, b);
            assertEquals(new Target(null, "u", "s", true, "ns", "1.4"), b.target());
            assertEquals(3.0, b.timeout());
            assertEquals("1.9", b.versionCap());
            assertEquals(10.0, b.callMonitorTimeout());
            assertEquals(new Target("t"), base.target());
            assertEquals(7.0, base.timeout());
            assertSame(t, base.transport());
            assertThrows(IllegalArgumentException.class, () -> base.withTimeout(-1));
            assertThrows(IllegalArgumentException.class, () -> base.withTimeout(Double.NaN));
            assertEquals(Double.POSITIVE_INFINITY, base.withTimeout(Double.POSITIVE_INFINITY).timeout());
        }
    }

    /** A malformed or unknown transport URL is an IllegalArgumentException naming it, password masked. */
    @Test
    void badUrls() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transport.create("nope://x")).getMessage()
                .contains("known schemes: [inproc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transport.create("inproc://a:5"))
                .getMessage().contains("inproc://NAME"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Transport.create("inproc://a,b"))
                .getMessage().contains("exactly one"));
        String masked = assertThrows(IllegalArgumentException.class,
                () -> Transport.create("nope://user:hunter2@host:1/")).getMessage();
        assertTrue(masked.contains("****") && !masked.contains("hunter2"), masked);
    }
}

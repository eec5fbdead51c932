package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.VirtualHubs;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.hubs.Hub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BackingOffClient: doubling on timeouts up to the max, halving back to the default on success. */
class BackingOffClientTest {

    /** An endpoint answering "m" at once. */
    public static final class Live {
        public String m(Context ctx) {
            return "ok";
        }
    }

    /** Each MessagingTimeout doubles the method's timeout up to rpc.response_max_timeout; successes halve it back to the default. */
    @Test
    void doublesThenComesBack() throws Exception {
        VirtualHubs.on(() -> {
            ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, "inproc://backoff")
                    .override(RpcOpts.RESPONSE_MAX_TIMEOUT, 40.0).override(RpcOpts.RESPONSE_TIMEOUT, 10.0).load();
            try (Transport t = Transport.create(conf)) {
                DriverTransport.of(t).listen(new Target("silent").withServer("s"), m -> { });
                RpcServer live = new RpcServer(t, new Target("live").withServer("s"), List.of(new Live()));
                live.start();
                BackingOffClient client = new BackingOffClient(t, new Target("silent"));
                Hub hub = Hub.get();
                double[] expected = {20, 40, 40};
                double timeout = 10;
                for (double next : expected) {
                    double start = hub.clock();
                    assertThrows(MessagingTimeout.class, () -> client.call(Context.empty(), "m", Map.of()));
                    double took = hub.clock() - start;
                    assertTrue(took >= timeout && took <= timeout + 10, "timed out after " + timeout
                            + " s plus a jitter of at most 10 s, took " + took);
                    assertEquals(next, client.methodTimeout("m"));
                    timeout = next;
                }
                assertEquals(10.0, client.methodTimeout("other"), "other methods keep the default");
                assertEquals(10.0, client.withNamespace("ns").methodTimeout("m"), "scoped by namespace");
                BackingOffClient toLive = client.withTopic("live");
                assertEquals(40.0, toLive.methodTimeout("m"), "withers share the table");
                assertEquals("ok", toLive.call(Context.empty(), "m", Map.of()));
                assertEquals(20.0, toLive.methodTimeout("m"));
                assertEquals("ok", toLive.call(Context.empty(), "m", Map.of()));
                assertEquals(10.0, toLive.methodTimeout("m"));
                assertEquals("ok", toLive.call(Context.empty(), "m", Map.of()));
                assertEquals(10.0, toLive.methodTimeout("m"), "never below the default");
                live.stop();
                live.await();
            }
        });
    }

    /**
     * A timeout the caller set with withTimeout is respected: the call waits exactly that long, whatever the
     * table says, and leaves the table alone; the withers compose (a wither after withTimeout keeps it).
     */
    @Test
    void explicitTimeoutIsRespected() throws Exception {
        VirtualHubs.on(() -> {
            ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, "inproc://backoffExplicit")
                    .override(RpcOpts.RESPONSE_MAX_TIMEOUT, 40.0).override(RpcOpts.RESPONSE_TIMEOUT, 10.0).load();
            try (Transport t = Transport.create(conf)) {
                DriverTransport.of(t).listen(new Target("silent").withServer("s"), m -> { });
                BackingOffClient adaptive = new BackingOffClient(t, new Target("silent"));
                assertThrows(MessagingTimeout.class, () -> adaptive.call(Context.empty(), "m", Map.of()));
                assertEquals(20.0, adaptive.methodTimeout("m"), "the adaptive client doubled");
                BackingOffClient explicit = adaptive.withTimeout(3).withServer("s");
                assertEquals(3.0, explicit.timeout());
                assertEquals(3.0, explicit.methodTimeout("m"), "the explicit timeout wins over the table");
                Hub hub = Hub.get();
                double start = hub.clock();
                assertThrows(MessagingTimeout.class, () -> explicit.call(Context.empty(), "m", Map.of()));
                assertEquals(3.0, hub.clock() - start, 1e-9, "waited exactly the explicit timeout, no jitter");
                assertEquals(20.0, adaptive.methodTimeout("m"), "an explicit call leaves the table alone");
            }
        });
    }
}

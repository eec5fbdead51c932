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
                    .override(RpcOpts.RESPONSE_MAX_TIMEOUT, 40.0).load();
            try (Transport t = Transport.create(conf)) {
                DriverTransport.of(t).listen(new Target("silent").withServer("s"), m -> { });
                RpcServer live = new RpcServer(t, new Target("live").withServer("s"), List.of(new Live()));
                live.start();
                BackingOffClient client = new BackingOffClient(t, new Target("silent")).withTimeout(10);
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
}

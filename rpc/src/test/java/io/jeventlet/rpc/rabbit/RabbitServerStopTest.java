package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a stopping server does with the requests the broker had already sent it. */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class RabbitServerStopTest {

    /** Counts the calls it served. */
    public static final class Sleeper {
        final AtomicInteger served = new AtomicInteger();

        public String nap(Context ctx, double seconds) {
            Eventlet.sleep(seconds);
            served.incrementAndGet();
            return "rested";
        }
    }

    static ConfigOpts poolOfOne() {
        return ConfigOpts.builder()
                .commandLine("rpc.transport_url", RabbitBroker.url())
                .commandLine("rpc.executor_thread_pool_size", "1")
                // 0 (the default) is no limit, as oslo: a server then takes all it is sent.
                .commandLine("rabbit.rabbit_qos_prefetch_count", "1")
                .load();
    }

    /**
     * Calls in flight when a server with a full pool stops are each answered
     * exactly once: what it took it answers, what the broker had sent it but
     * it had not taken goes back to the queue (requeue, or the channel's close)
     * and the next server answers it.
     */
    @Test
    void callsInFlightAcrossAServerStopAreAnsweredOnce() {
        String topic = RabbitDriverTest.topic();
        Sleeper a = new Sleeper();
        Sleeper b = new Sleeper();
        try (Transport ta = Transport.create(poolOfOne());
             Transport tb = Transport.create(poolOfOne());
             Transport tc = Transport.create(RabbitRpcTest.conf())) {
            RpcServer serverA = new RpcServer(ta, new Target(topic).withServer("a"), List.of(a));
            serverA.start();
            RpcClient client = new RpcClient(tc, new Target(topic)).withTimeout(20);
            List<GreenThread<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(Eventlet.spawn(() -> client.call(Context.empty(), "nap", Map.of("seconds", 0.5))));
            }
            // Server a runs one (pool of one; acknowledged as it starts) and holds one more (prefetch
            // 1): two outstanding. The third waits in the broker's queue.
            RabbitRpcTest.poll(() -> serverA.outstanding() >= 2, 10, "server a running one request and holding one more");
            serverA.stop();
            RpcServer serverB = new RpcServer(tb, new Target(topic).withServer("b"), List.of(b));
            serverB.start();
            try {
                for (GreenThread<Object> c : calls) {
                    assertEquals("rested", c.await());
                }
                serverA.await();
            } finally {
                serverB.stop();
                serverB.await();
            }
            assertEquals(3, a.served.get() + b.served.get(), "every call ran exactly once");
            assertTrue(b.served.get() >= 1, "server b answered none of the requests left after server a stopped");
        }
    }
}

package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Many calls: nothing leaks — no pending-reply entry, no green thread, no unbounded heap growth. */
class RpcLoadTest {
    private static final Pattern LIVE = Pattern.compile(": (\\d+) green threads");

    /** The number of live green threads of {@code hub}, from its dump's first line. */
    static int liveGreenThreads(Hub hub) {
        Matcher m = LIVE.matcher(hub.dump().lines().findFirst().orElse(""));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    /** An endpoint that answers at once. */
    public static final class Echo {
        public int inc(Context ctx, int n) {
            return n + 1;
        }
    }

    /** 100,000 calls from 200 green threads: all answered, then no pending reply, green thread or heap growth is left. */
    @Test
    @org.junit.jupiter.api.Timeout(200)
    void hundredThousandCallsLeaveNothingBehind() throws Exception {
        // CPU-bound: a few seconds on a quiet machine, over 30 s on one loaded by other builds.
        VirtualHubs.on(180, () -> {
            try (Transport t = Transport.create("inproc://load")) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"), List.of(new Echo()));
                server.start();
                RpcClient client = new RpcClient(t, new Target("t"));
                Hub hub = Hub.get();
                int threads = 200;
                int perThread = 500;
                // Warm up, then measure the heap: what the first 10,000 calls leave must not grow with 90,000 more.
                RpcLoad.runCalls(client, threads, 50);
                long before = RpcLoad.usedHeapAfterGc();
                RpcLoad.runCalls(client, threads, perThread - 50);
                long after = RpcLoad.usedHeapAfterGc();
                DriverTransport dt = DriverTransport.of(t);
                assertEquals(0, dt.replies().pending(), "no pending-reply entry is left");
                assertEquals(0, server.outstanding());
                server.stop();
                server.await();
                Eventlet.sleep(0);
                assertEquals(1, liveGreenThreads(hub), "only the test's green thread is left: " + hub.dump());
                assertTrue(after - before < 32L << 20, "heap grew by " + ((after - before) >> 20) + " MiB");
            }
        });
    }
}

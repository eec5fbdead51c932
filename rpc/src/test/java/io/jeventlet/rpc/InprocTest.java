package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.HubClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** inproc:// routing as on a real bus: fanout, round-robin topics, topic.server, requeue, several hubs, virtual time. */
class InprocTest {

    /** An endpoint that records which server ran each request. */
    public static final class Named {
        final String name;
        final Map<String, AtomicInteger> counts;

        Named(String name, Map<String, AtomicInteger> counts) {
            this.name = name;
            this.counts = counts;
        }

        public String who(Context ctx) {
            counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return name;
        }
    }

    /** Runs {@code body} with servers named {@code names} (each its own endpoint instance) on topic "t". */
    private static void withServers(String bus, List<String> names, Map<String, AtomicInteger> counts,
            VirtualHubs.Body body) throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://" + bus)) {
                List<RpcServer> servers = new ArrayList<>();
                for (String n : names) {
                    RpcServer s = new RpcServer(t, new Target("t").withServer(n), List.of(new Named(n, counts)));
                    s.start();
                    servers.add(s);
                }
                body.run();
                for (RpcServer s : servers) {
                    s.stop();
                    s.await();
                }
            }
        });
    }

    private static void settle() {
        for (int i = 0; i < 10; i++) {
            Eventlet.sleep(0);
        }
    }

    /** A fanout cast reaches every server of the topic once. */
    @Test
    void fanoutReachesEveryServer() throws Exception {
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        withServers("fanout", List.of("a", "b", "c"), counts, () -> {
            try (Transport t = Transport.create("inproc://fanout")) {
                new RpcClient(t, new Target("t")).withFanout(true).cast(Context.empty(), "who", Map.of());
                new RpcClient(t, new Target("nobody")).withFanout(true).cast(Context.empty(), "who", Map.of());
                settle();
            }
        });
        assertEquals(Map.of("a", 1, "b", 1, "c", 1), plain(counts));
    }

    /** Requests to a topic are shared round-robin between its servers. */
    @Test
    void topicIsSharedRoundRobin() throws Exception {
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        withServers("roundRobin", List.of("a", "b"), counts, () -> {
            try (Transport t = Transport.create("inproc://roundRobin")) {
                RpcClient client = new RpcClient(t, new Target("t"));
                for (int i = 0; i < 10; i++) {
                    client.call(Context.empty(), "who", Map.of());
                }
            }
        });
        assertEquals(Map.of("a", 5, "b", 5), plain(counts));
    }

    /** A target with a server reaches only that server; servers sharing a name share its requests. */
    @Test
    void topicServerRouting() throws Exception {
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        withServers("topicServer", List.of("a", "b", "b"), counts, () -> {
            try (Transport t = Transport.create("inproc://topicServer")) {
                RpcClient toA = new RpcClient(t, new Target("t")).withServer("a");
                RpcClient toB = new RpcClient(t, new Target("t")).withServer("b");
                for (int i = 0; i < 3; i++) {
                    assertEquals("a", toA.call(Context.empty(), "who", Map.of()));
                }
                for (int i = 0; i < 4; i++) {
                    assertEquals("b", toB.call(Context.empty(), "who", Map.of()));
                }
                assertThrows(MessageDeliveryFailure.class,
                        () -> toA.withServer("z").call(Context.empty(), "who", Map.of()));
            }
        });
        assertEquals(Map.of("a", 3, "b", 4), plain(counts));
    }

    /** Transports of one name reach each other; another name is another bus. */
    @Test
    void namesSeparateBuses() throws Exception {
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        withServers("busOne", List.of("a"), counts, () -> {
            try (Transport same = Transport.create("inproc://busOne"); Transport other = Transport.create("inproc://busTwo")) {
                assertEquals("a", new RpcClient(same, new Target("t")).call(Context.empty(), "who", Map.of()));
                assertThrows(MessageDeliveryFailure.class,
                        () -> new RpcClient(other, new Target("t")).call(Context.empty(), "who", Map.of()));
                assertThrows(MessageDeliveryFailure.class,
                        () -> new RpcClient(other, new Target("t")).cast(Context.empty(), "who", Map.of()));
            }
        });
    }

    /** A request given back by a server goes to another server of its key; with none left, the caller fails at once. */
    @Test
    void requeueRedeliversOrFailsFast() throws Exception {
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://requeue")) {
                DriverTransport.of(t).listen(new Target("t").withServer("giver"), m -> m.requeue());
                RpcServer server = new RpcServer(t, new Target("t").withServer("a"), List.of(new Named("a", counts)));
                server.start();
                RpcClient client = new RpcClient(t, new Target("t"));
                for (int i = 0; i < 4; i++) {
                    assertEquals("a", client.call(Context.empty(), "who", Map.of()));
                }
                server.stop();
                server.await();
                double start = Hub.get().clock();
                MessageDeliveryFailure e = assertThrows(MessageDeliveryFailure.class,
                        () -> client.call(Context.empty(), "who", Map.of()));
                assertTrue(e.getMessage().contains("no other server"), e.getMessage());
                assertEquals(start, Hub.get().clock());
            }
        });
        assertEquals(4, counts.get("a").get());
    }

    /** A server on one hub serves a plain thread and 2 x 50 green threads calling from two other hubs at once, every answer right. */
    @Test
    void manyCallsFromTwoHubs() throws Exception {
        Hub serverHub = Hub.withClock(HubClock.real());
        Thread carrier = Thread.ofPlatform().name("server-hub").start(serverHub::run);
        try (Transport t = Transport.create("inproc://twoHubs")) {
            CompletableFuture<RpcServer> started = new CompletableFuture<>();
            serverHub.callThreadsafe(() -> Eventlet.spawn(() -> {
                RpcServer s = new RpcServer(t, new Target("t").withServer("s"), List.of(new RpcLoadTest.Echo()));
                s.start();
                started.complete(s);
            }));
            RpcServer server = started.get(10, TimeUnit.SECONDS);
            // A plain OS thread calls too: it runs its own hub while it waits (the main greenlet), with and without a limit.
            assertEquals(1, new RpcClient(t, new Target("t")).withTimeout(10).call(Context.empty(), "inc", Map.of("n", 0)));
            assertEquals(2, new RpcClient(t, new Target("t")).withTimeout(Double.POSITIVE_INFINITY)
                    .call(Context.empty(), "inc", Map.of("n", 1)));
            List<CompletableFuture<Integer>> hubs = new ArrayList<>();
            for (int h = 0; h < 2; h++) {
                CompletableFuture<Integer> done = new CompletableFuture<>();
                hubs.add(done);
                Thread.ofPlatform().name("client-hub-" + h).start(() -> {
                    try {
                        RpcClient client = new RpcClient(t, new Target("t")).withTimeout(30);
                        List<GreenThread<Integer>> gts = new ArrayList<>();
                        for (int g = 0; g < 50; g++) {
                            gts.add(Eventlet.spawn(() -> {
                                int n = 0;
                                for (int i = 0; i < 40; i++) {
                                    n = (Integer) client.call(Context.empty(), "inc", Map.of("n", n));
                                }
                                return n;
                            }));
                        }
                        int total = 0;
                        for (GreenThread<Integer> gt : gts) {
                            total += gt.await();
                        }
                        done.complete(total);
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                });
            }
            for (CompletableFuture<Integer> done : hubs) {
                assertEquals(50 * 40, done.get(30, TimeUnit.SECONDS));
            }
            assertEquals(0, DriverTransport.of(t).replies().pending());
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            serverHub.callThreadsafe(() -> Eventlet.spawn(() -> {
                server.stop();
                server.await();
                stopped.complete(null);
            }));
            stopped.get(10, TimeUnit.SECONDS);
        } finally {
            serverHub.abort();
            carrier.join(10_000);
        }
    }

    /** An hour of RPC-driven work — a call every 10 s to a method that takes 1 s — runs in virtual time. */
    @Test
    void hourOfCallsInVirtualTime() throws Exception {
        long realStart = System.nanoTime();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create("inproc://hour")) {
                RpcServer server = new RpcServer(t, new Target("t").withServer("s"),
                        List.of(new RpcClientTest.Sleeper()));
                server.start();
                RpcClient client = new RpcClient(t, new Target("t"));
                Hub hub = Hub.get();
                double start = hub.clock();
                int calls = 0;
                while (hub.clock() - start < 3600) {
                    assertEquals("woke", client.call(Context.empty(), "sleep", Map.of("seconds", 1)));
                    calls++;
                    Eventlet.sleep(9);
                }
                assertEquals(360, calls);
                server.stop();
                server.await();
            }
        });
        assertTrue(System.nanoTime() - realStart < 5_000_000_000L);
    }

    private static Map<String, Integer> plain(Map<String, AtomicInteger> counts) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}

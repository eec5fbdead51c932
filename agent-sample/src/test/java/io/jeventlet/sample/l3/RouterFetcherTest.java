package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.GreenletExit;
import io.jeventlet.VirtualHubs;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The workers' fetches batched into sync_routers calls, on a virtual-clock hub. */
class RouterFetcherTest {
    /** A plugin answering each sync_routers call after 10 ms (a green sleep), recording the ids of every call. */
    private static final class SlowPlugin implements L3PluginApi {
        final List<List<String>> calls = new ArrayList<>();
        final Set<String> poison = new HashSet<>();

        @Override
        public List<String> getRouterIds(Context ctx) {
            return List.of();
        }

        @Override
        public List<Object> getRouters(Context ctx, List<String> ids) {
            calls.add(List.copyOf(ids));
            Eventlet.sleep(0.01);
            List<Object> out = new ArrayList<>();
            for (String id : ids) {
                if (poison.contains(id)) {
                    throw new MessagingException("the plugin cannot serve " + id);
                }
                if (!id.startsWith("gone")) {
                    out.add(Map.of("id", id, "name", "router " + id));
                }
            }
            return out;
        }

        @Override
        public String reportState(Context ctx, Map<String, Object> agentState, double timeout) {
            return "alive";
        }
    }

    private static List<GreenThread<List<Object>>> fetchAll(RouterFetcher fetcher, List<String> ids) {
        List<GreenThread<List<Object>>> gts = new ArrayList<>();
        for (String id : ids) {
            gts.add(Eventlet.spawn(() -> fetcher.fetch(id)));
        }
        return gts;
    }

    /** 32 workers asking in the same hub turn make one call, each getting its own router. */
    @Test
    void concurrentFetchesShareOneCall() throws Exception {
        VirtualHubs.on(() -> {
            SlowPlugin plugin = new SlowPlugin();
            RouterFetcher fetcher = new RouterFetcher(plugin, Context::empty);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                ids.add("r" + i);
            }
            ids.add("gone-1");
            List<GreenThread<List<Object>>> gts = fetchAll(fetcher, ids);
            for (int i = 0; i < ids.size(); i++) {
                List<Object> got = gts.get(i).await();
                if (ids.get(i).startsWith("gone")) {
                    assertEquals(List.of(), got, "a router the plugin no longer lists comes back empty");
                } else {
                    assertEquals(1, got.size());
                    assertEquals(ids.get(i), ((Map<?, ?>) got.get(0)).get("id"));
                }
            }
            assertEquals(List.of(ids), plugin.calls);
            assertEquals(1, fetcher.calls());
            assertEquals(ids.size(), fetcher.routersAsked());

            // Asked while that call is out, the next ones wait and go together in one more call.
            List<GreenThread<List<Object>>> first = fetchAll(fetcher, List.of("x"));
            Eventlet.sleep(0.001);
            List<GreenThread<List<Object>>> later = fetchAll(fetcher, List.of("y", "z"));
            first.get(0).await();
            later.get(1).await();
            assertEquals(List.of(List.of("x"), List.of("y", "z")), plugin.calls.subList(1, 3));
        });
    }

    /** A router the plugin fails on fails only its own fetch: the others of its batch are fetched again alone. */
    @Test
    void aFailingRouterFailsOnlyItsOwnFetch() throws Exception {
        VirtualHubs.on(() -> {
            SlowPlugin plugin = new SlowPlugin();
            plugin.poison.add("bad");
            RouterFetcher fetcher = new RouterFetcher(plugin, Context::empty);
            List<GreenThread<List<Object>>> gts = fetchAll(fetcher, List.of("a", "bad", "b"));
            assertEquals("a", ((Map<?, ?>) gts.get(0).await().get(0)).get("id"));
            MessagingException e = assertThrows(MessagingException.class, () -> gts.get(1).await());
            assertTrue(e.getMessage().contains("bad"), e.getMessage());
            assertEquals("b", ((Map<?, ?>) gts.get(2).await().get(0)).get("id"));
            assertEquals(List.of("a", "bad", "b"), plugin.calls.get(0));
            assertEquals(Set.of(List.of("a"), List.of("bad"), List.of("b")), Set.copyOf(plugin.calls.subList(1, 4)),
                    "each router of the failed batch asked for alone: " + plugin.calls);
            assertEquals(4, plugin.calls.size());
        });
    }

    /**
     * Routers notified are read ahead in the calls and by the fetcher's own refill; data read ahead
     * serves an update older than it without a call, never an update newer than it.
     */
    @Test
    void readAheadServesOnlyUpdatesOlderThanItsData() throws Exception {
        VirtualHubs.on(() -> {
            SlowPlugin plugin = new SlowPlugin();
            ResourceProcessingQueue queue = new ResourceProcessingQueue();
            RouterFetcher fetcher = new RouterFetcher(plugin, Context::empty, queue,
                    new WorkerPhases(32, System::nanoTime));
            long notified = queue.now();
            for (String id : List.of("a", "b", "c")) {
                fetcher.readAhead(id);
            }
            RouterFetcher.Fetched a = fetcher.fetch("a", notified);
            assertTrue(a.timestamp() > notified, "a fetch is stamped after the update it serves");
            assertEquals(List.of(List.of("a", "b")), plugin.calls, "a waited-for call reads ahead as many again");

            RouterFetcher.Fetched b = fetcher.fetch("b", notified);
            assertEquals("b", ((Map<?, ?>) b.routers().get(0)).get("id"));
            assertTrue(b.timestamp() > notified, "the data read ahead is newer than the update it serves");
            assertEquals(1, plugin.calls.size(), "b came from the read-ahead, without a call");
            Eventlet.sleep(0.05);
            assertEquals(List.of("c"), plugin.calls.get(1), "the fetcher refilled on its own");

            long newer = queue.now(); // c changed after it was read ahead
            RouterFetcher.Fetched c = fetcher.fetch("c", newer);
            assertTrue(c.timestamp() > newer);
            assertEquals(List.of(List.of("a", "b"), List.of("c"), List.of("c")), plugin.calls,
                    "data older than the update is not used: c fetched again");
            assertEquals(2, fetcher.readAheadFetched());
            assertEquals(1, fetcher.readAheadUsed());
        });
    }

    /** A worker killed while it waits for the next batch leaves it; a leader killed in its call hands the lead on. */
    @Test
    void killedWorkersLeaveNoOneWaiting() throws Exception {
        VirtualHubs.on(() -> {
            SlowPlugin plugin = new SlowPlugin();
            RouterFetcher fetcher = new RouterFetcher(plugin, Context::empty);
            List<GreenThread<List<Object>>> gts = fetchAll(fetcher, List.of("lead"));
            Eventlet.sleep(0.001); // the leader is in its call
            List<GreenThread<List<Object>>> waiters = fetchAll(fetcher, List.of("killed", "c", "d"));
            Eventlet.sleep(0.001); // they wait for the next batch
            waiters.get(0).kill();
            assertEquals("lead", ((Map<?, ?>) gts.get(0).await().get(0)).get("id"));
            assertEquals("c", ((Map<?, ?>) waiters.get(1).await().get(0)).get("id"));
            assertEquals("d", ((Map<?, ?>) waiters.get(2).await().get(0)).get("id"));
            assertEquals(List.of(List.of("lead"), List.of("c", "d")), plugin.calls);

            List<GreenThread<List<Object>>> next = fetchAll(fetcher, List.of("e"));
            Eventlet.sleep(0.001);
            next.addAll(fetchAll(fetcher, List.of("f", "g")));
            Eventlet.sleep(0.001);
            next.get(0).kill(); // the leader, inside the plugin call; f and g wait for the next batch
            assertThrows(GreenletExit.class, () -> next.get(0).await(), "the killed leader");
            assertEquals("f", ((Map<?, ?>) next.get(1).await().get(0)).get("id"));
            assertEquals("g", ((Map<?, ?>) next.get(2).await().get(0)).get("id"));
        });
    }
}

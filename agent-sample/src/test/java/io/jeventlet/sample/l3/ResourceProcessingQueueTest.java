package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.VirtualHubs;
import io.jeventlet.sample.l3.RouterUpdate.Action;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceProcessingQueueTest {

    private static RouterUpdate rpc(ResourceProcessingQueue q, String id) {
        return q.newUpdate(id, RouterUpdate.PRIORITY_RPC, Action.ADD_UPDATE_ROUTER);
    }

    /** Updates made before a fetch was recorded as processed are dropped as superseded; only the first is yielded. */
    @Test
    void olderUpdatesAreSupersededByANewerFetch() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            q.add(rpc(q, "a"));
            q.add(rpc(q, "a"));
            q.add(rpc(q, "a"));
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                RouterUpdate u = rp.nextUpdate();
                assertEquals(1, u.timestamp());
                rp.fetchedAndProcessed(q.now());
                assertNull(rp.nextUpdate());
            }
            for (int i = 0; i < 2; i++) {
                try (ExclusiveResourceProcessor rp = q.nextResource()) {
                    assertTrue(rp.isPrimary());
                    assertNull(rp.nextUpdate(), "an update older than the processed fetch must be dropped");
                }
            }
            assertEquals(1, q.yielded());
            assertEquals(2, q.superseded());
            assertEquals(0, q.unfinished());
            return null;
        });
    }

    /** A newer high-priority update is processed first, and the older low-priority one is then dropped. */
    @Test
    void newerUpdateWinsOverOlderLowerPriorityOne() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            RouterUpdate older = q.newUpdate("a", RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK, Action.ADD_UPDATE_ROUTER);
            RouterUpdate newer = rpc(q, "a");
            q.add(older);
            q.add(newer);
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                assertEquals(newer.timestamp(), rp.nextUpdate().timestamp());
                rp.fetchedAndProcessed(newer.timestamp());
                assertNull(rp.nextUpdate());
            }
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                assertNull(rp.nextUpdate());
            }
            assertEquals(1, q.superseded());
            return null;
        });
    }

    /** While one processor holds a router, a second gets nothing at once and the holder picks the update up. */
    @Test
    void updateForAHeldRouterGoesToItsHolder() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            q.add(rpc(q, "a"));
            try (ExclusiveResourceProcessor holder = q.nextResource()) {
                RouterUpdate first = holder.nextUpdate();
                long covered = q.now();
                RouterUpdate during = rpc(q, "a");
                q.add(during);
                try (ExclusiveResourceProcessor other = q.nextResource()) {
                    assertFalse(other.isPrimary());
                    assertNull(other.nextUpdate());
                }
                assertTrue(q.isProcessing("a"));
                holder.fetchedAndProcessed(covered);
                assertEquals(during.timestamp(), holder.nextUpdate().timestamp(),
                        "an update made during the fetch is fresh and goes to the holder");
                holder.fetchedAndProcessed(q.now());
                assertNull(holder.nextUpdate());
                assertEquals(first.routerId(), "a");
            }
            assertFalse(q.isProcessing("a"));
            assertEquals(0, q.unfinished());
            return null;
        });
    }

    /** A holder closed early (its worker failed) puts the updates it still held back into the queue. */
    @Test
    void closingAHolderEarlyPutsItsUpdatesBack() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            q.add(rpc(q, "a"));
            q.add(rpc(q, "a"));
            ExclusiveResourceProcessor holder = q.nextResource();
            holder.nextUpdate();
            try (ExclusiveResourceProcessor other = q.nextResource()) {
                assertNull(other.nextUpdate());
            }
            holder.close();
            assertEquals(1, q.qsize());
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                assertEquals(2, rp.nextUpdate().timestamp());
            }
            return null;
        });
    }

    /**
     * Eight green-thread workers under a random stream of updates for five
     * routers never process one router twice at once, and finish with every
     * update yielded or superseded and every router processed up to its last update.
     */
    @Test
    void concurrentWorkersNeverShareARouter() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            Random random = new Random(7);
            Set<String> active = new HashSet<>();
            Map<String, Long> lastAdded = new HashMap<>();
            Map<String, Long> lastProcessed = new HashMap<>();
            int[] violations = {0};
            List<GreenThread<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                workers.add(Eventlet.spawn(() -> {
                    while (true) {
                        try (ExclusiveResourceProcessor rp = q.nextResource()) {
                            for (RouterUpdate u = rp.nextUpdate(); u != null; u = rp.nextUpdate()) {
                                if (!active.add(u.routerId())) {
                                    violations[0]++;
                                }
                                long covered = q.now();
                                Eventlet.sleep(0.001 * (1 + random.nextInt(20)));
                                active.remove(u.routerId());
                                rp.fetchedAndProcessed(covered);
                                lastProcessed.merge(u.routerId(), covered, Math::max);
                            }
                        }
                    }
                }));
            }
            for (int i = 0; i < 2000; i++) {
                String id = "r" + random.nextInt(5);
                RouterUpdate u = random.nextInt(4) == 0
                        ? q.newUpdate(id, RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK, Action.ADD_UPDATE_ROUTER) : rpc(q, id);
                q.add(u);
                lastAdded.put(id, u.timestamp());
                if (random.nextInt(3) == 0) {
                    Eventlet.sleep(0.002);
                }
            }
            while (q.unfinished() > 0 || !active.isEmpty()) {
                Eventlet.sleep(0.01);
            }
            workers.forEach(GreenThread::kill);
            assertEquals(0, violations[0], "a router was processed by two workers at once");
            assertEquals(2000, q.yielded() + q.superseded());
            assertTrue(q.superseded() > 0, "with five routers some updates must be superseded");
            lastAdded.forEach((id, seq) -> assertTrue(lastProcessed.get(id) >= seq,
                    id + " was last processed at " + lastProcessed.get(id) + ", before its update " + seq));
            return null;
        });
    }
    /** Updates come out by Neutron's order: related router, then RPC, then full sync; within one, oldest first. */
    @Test
    void priorityThenTimestampOrder() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            q.add(q.newUpdate("s1", RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK, Action.ADD_UPDATE_ROUTER));
            q.add(q.newUpdate("r1", RouterUpdate.PRIORITY_RPC, Action.ADD_UPDATE_ROUTER));
            q.add(q.newUpdate("x1", RouterUpdate.PRIORITY_RELATED_ROUTER, Action.ADD_UPDATE_RELATED_ROUTER));
            q.add(q.newUpdate("r2", RouterUpdate.PRIORITY_RPC, Action.DELETE_ROUTER));
            q.add(q.newUpdate("s0", RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK, Action.ADD_UPDATE_ROUTER));
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try (ExclusiveResourceProcessor rp = q.nextResource()) {
                    order.add(rp.nextUpdate().routerId());
                }
            }
            assertEquals(List.of("x1", "r1", "r2", "s1", "s0"), order);
            return null;
        });
    }

    /**
     * The timestamp of a removed router is forgotten once no older update is
     * left, so the map does not grow with routers that came and went; while
     * an older update still waits, it is kept and supersedes that update.
     */
    @Test
    void removedRoutersAreForgottenOnceNoOlderUpdateWaits() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            RouterUpdate stale = q.newUpdate("a", RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK, Action.ADD_UPDATE_ROUTER);
            q.add(stale);
            q.add(q.newUpdate("a", RouterUpdate.PRIORITY_RPC, Action.DELETE_ROUTER));
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                RouterUpdate delete = rp.nextUpdate();
                assertEquals(Action.DELETE_ROUTER, delete.action());
                rp.fetchedAndRemoved(delete.timestamp());
                assertEquals(1, q.trackedRouters(), "kept while the older full-sync update waits");
            }
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                assertNull(rp.nextUpdate(), "the older update is superseded by the removal");
            }
            assertEquals(0, q.trackedRouters(), "forgotten once nothing older can arrive");
            for (int i = 0; i < 1000; i++) {
                q.add(rpc(q, "r" + i));
                try (ExclusiveResourceProcessor rp = q.nextResource()) {
                    rp.nextUpdate();
                    rp.fetchedAndRemoved(q.now());
                }
            }
            assertEquals(0, q.trackedRouters(), "a thousand routers came and went");
            return null;
        });
    }

    /** A removal recorded while a full-sync fetch is open is kept until the fetch closes, so its data cannot revive the router. */
    @Test
    void openFetchKeepsRemovalsUntilItCloses() throws Exception {
        VirtualHubs.run(() -> {
            ResourceProcessingQueue q = new ResourceProcessingQueue();
            long fetchedAt = q.openFetch();
            q.add(q.newUpdate("a", RouterUpdate.PRIORITY_RPC, Action.DELETE_ROUTER));
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                rp.fetchedAndRemoved(rp.nextUpdate().timestamp());
            }
            assertEquals(1, q.trackedRouters());
            Router data = new Router("a", 1, java.time.Instant.EPOCH, List.of(), List.of(), List.of());
            q.add(q.newUpdate(data, RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK, fetchedAt));
            q.closeFetch(fetchedAt);
            try (ExclusiveResourceProcessor rp = q.nextResource()) {
                assertNull(rp.nextUpdate(), "data fetched before the removal must not bring the router back");
            }
            assertEquals(0, q.trackedRouters());
            return null;
        });
    }
}

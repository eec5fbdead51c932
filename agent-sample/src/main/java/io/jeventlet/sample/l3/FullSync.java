package io.jeventlet.sample.l3;

import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.MessagingTimeout;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full sync of the agent's routers (Neutron's {@code fetch_and_sync_all_routers}):
 * {@code get_router_ids}, then {@code sync_routers} in chunks, each router
 * queued with its data at priority 2 under the timestamp taken before the
 * first call, and the removal of every router the agent has that the plugin
 * no longer lists.
 *
 * <p>Guarantees: the chunk starts at {@link #SYNC_ROUTERS_MAX_CHUNK_SIZE};
 * a {@link MessagingTimeout} halves it (not below
 * {@link #SYNC_ROUTERS_MIN_CHUNK_SIZE}) and a success grows it by
 * {@link #SYNC_ROUTERS_MIN_CHUNK_SIZE} (not above the max). A run that throws
 * has queued no removal, so a failed sync never removes a router; the caller
 * keeps the sync due and tries again. A malformed router in a chunk is not
 * removed either: it is queued to be fetched again on its own.
 *
 * <p>Thread rule: Hub-confined (the agent's hub); runs in one green thread at a time.
 */
final class FullSync {
    private static final Logger LOG = LoggerFactory.getLogger(FullSync.class);

    /** Routers fetched per {@code sync_routers} call, at most (Neutron's). */
    static final int SYNC_ROUTERS_MAX_CHUNK_SIZE = 256;
    /** ... and at least; also the step the chunk grows by after a success. */
    static final int SYNC_ROUTERS_MIN_CHUNK_SIZE = 32;

    private final L3PluginApi plugin;
    private final ResourceProcessingQueue queue;
    private int chunkSize = SYNC_ROUTERS_MAX_CHUNK_SIZE;

    FullSync(L3PluginApi plugin, ResourceProcessingQueue queue) {
        this.plugin = plugin;
        this.queue = queue;
    }

    /** The chunk the next run asks {@code sync_routers} for. */
    int chunkSize() {
        return chunkSize;
    }

    /**
     * Fetches every router the plugin schedules here and queues it; queues the
     * removal of those in {@code present} it no longer lists.
     *
     * @throws MessagingException when a call failed (the chunk was halved if it timed out)
     */
    void run(Context ctx, Set<String> present) {
        Set<String> current = new HashSet<>();
        long timestamp = queue.openFetch();
        try {
            List<String> chunk = List.of();
            try {
                List<String> routerIds = plugin.getRouterIds(ctx);
                for (int i = 0; i < routerIds.size(); i += chunkSize) {
                    chunk = routerIds.subList(i, Math.min(routerIds.size(), i + chunkSize));
                    for (Object wire : plugin.getRouters(ctx, chunk)) {
                        queueSynced(wire, timestamp, current);
                    }
                }
            } catch (MessagingTimeout e) {
                if (chunkSize > SYNC_ROUTERS_MIN_CHUNK_SIZE) {
                    chunkSize = Math.max(chunkSize / 2, SYNC_ROUTERS_MIN_CHUNK_SIZE);
                    LOG.error("Server failed to return info for routers in required time, decreasing chunk size"
                            + " to: {}", chunkSize);
                } else {
                    LOG.error("Server failed to return info for routers in required time even with min chunk size:"
                            + " {}. It might be under very high load or just inoperable", chunkSize);
                }
                throw e;
            } catch (MessagingException e) {
                LOG.error("Failed synchronizing routers {} due to RPC error: {}", chunk, e.toString());
                throw e;
            }
            if (chunkSize < SYNC_ROUTERS_MAX_CHUNK_SIZE) {
                chunkSize = Math.min(chunkSize + SYNC_ROUTERS_MIN_CHUNK_SIZE, SYNC_ROUTERS_MAX_CHUNK_SIZE);
            }
            Set<String> gone = new HashSet<>(present);
            gone.removeAll(current);
            double now = Hub.get().clock();
            for (String id : gone) {
                queue.add(new RouterUpdate(id, RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK,
                        RouterUpdate.Action.DELETE_ROUTER, timestamp, now, RouterUpdate.DEFAULT_TRIES, null));
            }
        } finally {
            queue.closeFetch(timestamp);
        }
    }

    /** Queues one router of a full sync with its data; a malformed one is queued to be fetched again alone. */
    private void queueSynced(Object wire, long timestamp, Set<String> current) {
        try {
            Router r = Router.fromWire(wire);
            current.add(r.id());
            queue.add(queue.newUpdate(r, RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK, timestamp));
        } catch (MalformedRouterException e) {
            LOG.warn("{}; fetching it again on its own", e.getMessage());
            if (!"?".equals(e.routerId())) {
                current.add(e.routerId());
                queue.add(queue.newUpdate(e.routerId(), RouterUpdate.PRIORITY_SYNC_ROUTERS_TASK,
                        RouterUpdate.Action.ADD_UPDATE_ROUTER));
            }
        }
    }
}

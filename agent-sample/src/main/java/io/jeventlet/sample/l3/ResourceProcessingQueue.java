package io.jeventlet.sample.l3;

import io.jeventlet.PriorityQueue;
import io.jeventlet.hubs.Hub;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agent's queue of router updates (Neutron's {@code ResourceProcessingQueue}):
 * updates wait in a green priority queue, and a worker takes the next one
 * with {@link #nextResource()}, which hands it exclusive access to that
 * router through an {@link ExclusiveResourceProcessor}.
 *
 * <pre>{@code
 * try (ExclusiveResourceProcessor rp = queue.nextResource()) {   // blocks for the next update
 *     for (RouterUpdate u = rp.nextUpdate(); u != null; u = rp.nextUpdate()) {
 *         long t = queue.now();                  // before the fetch, as Neutron's utcnow()
 *         ... fetch and apply u.routerId() ...
 *         rp.fetchedAndProcessed(t);             // or rp.fetchedAndRemoved(t) when it is gone
 *     }
 * }
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 * <li>Exclusive: at most one processor per router is the primary at a time,
 * and only the primary yields updates, so one router is never processed by
 * two green threads at once.</li>
 * <li>Picked up: an update for a router that has a primary goes to the
 * primary, which yields it after its current one (the other worker gets
 * nothing and returns at once, without waiting).</li>
 * <li>Superseded: an update whose timestamp is not newer than the one last
 * recorded for its router is dropped (counted in {@link #superseded()}),
 * since the data already applied is at least as new as it.</li>
 * <li>Nothing is lost: updates still held by a primary that is closed early
 * (its worker failed or was killed) go back into the queue.</li>
 * <li>Bounded memory: the timestamp recorded for a router that is gone is
 * forgotten once no update or full-sync fetch older than it is left
 * (Neutron keeps them forever); so the timestamps held are those of the
 * routers present plus those of recent removals.</li>
 * </ul>
 *
 * <p>Thread rule: Hub-confined. The first call binds the queue to the
 * caller's hub; a call from another hub is an {@link IllegalStateException}.
 *
 * <p>Overview: {@code primaries} maps a router id to the processor that
 * holds it; an entry exists exactly while that processor is open.
 * {@code processed} maps a router id to the newest timestamp whose data was
 * applied (or whose removal was); an id missing reads as "never", so any
 * update of it is fresh. {@code outstanding} counts, per timestamp, the
 * updates added and not yet yielded or superseded, plus the full-sync fetches
 * opened with {@link #openFetch()} and not yet closed: its smallest key is
 * the oldest timestamp that can still reach a processor. {@code gone} lists
 * removed routers by the timestamp of their removal; an entry older than
 * that smallest key can never again supersede anything, so it is dropped
 * from {@code processed}. The hand-off between "the primary found its queue
 * empty" and "the primary is removed" involves no blocking call, so with one
 * green thread running at a time no update can slip into a primary that has
 * already decided to stop.
 */
public final class ResourceProcessingQueue {
    private final PriorityQueue<RouterUpdate> queue = new PriorityQueue<>();
    private final Map<String, ExclusiveResourceProcessor> primaries = new HashMap<>();
    private final Map<String, Long> processed = new HashMap<>();
    private final TreeMap<Long, Integer> outstanding = new TreeMap<>();
    private final TreeMap<Long, Set<String>> gone = new TreeMap<>();
    private Hub hub;
    private long clock;
    private long added;
    private long yielded;
    private long superseded;

    /**
     * The agent's logical time now: larger than every value handed out
     * before (Neutron's {@code timeutils.utcnow()}, made strictly increasing).
     */
    public long now() {
        enter();
        return ++clock;
    }

    /** A new update stamped {@link #now()}; it is not queued yet (see {@link #add}). */
    public RouterUpdate newUpdate(String routerId, int priority, RouterUpdate.Action action) {
        Hub h = enter();
        return new RouterUpdate(routerId, priority, action, now(), h.clock(), RouterUpdate.DEFAULT_TRIES, null);
    }

    /** A new update carrying data fetched at {@code timestamp} (from {@link #openFetch()}). */
    public RouterUpdate newUpdate(Router resource, int priority, long timestamp) {
        Hub h = enter();
        return new RouterUpdate(resource.id(), priority, RouterUpdate.Action.ADD_UPDATE_ROUTER, timestamp, h.clock(),
                RouterUpdate.DEFAULT_TRIES, resource);
    }

    /** Queues an update, using up one of its tries (Neutron's {@code add}). */
    public void add(RouterUpdate update) {
        enter();
        queue.putNowait(update.withOneTryLess());
        outstanding.merge(update.timestamp(), 1, Integer::sum);
        added++;
    }

    /**
     * Starts a fetch whose updates will carry the returned timestamp (the
     * full sync's): until {@link #closeFetch} no removal recorded after it is
     * forgotten, so data fetched before a removal cannot bring the router back.
     */
    public long openFetch() {
        long t = now();
        outstanding.merge(t, 1, Integer::sum);
        return t;
    }

    /** Ends a fetch opened with {@link #openFetch()} (after its updates were added). */
    public void closeFetch(long timestamp) {
        enter();
        release(timestamp);
    }

    /**
     * Blocks until an update is queued, then returns a processor for its
     * router: the primary if no other processor holds the router, else a
     * handle that passed the update on to the primary and yields nothing.
     * The caller must close it right after {@link ExclusiveResourceProcessor#nextUpdate}
     * returned null, with no blocking call in between (try-with-resources).
     */
    public ExclusiveResourceProcessor nextResource() {
        enter();
        RouterUpdate next = queue.get();
        ExclusiveResourceProcessor primary = primaries.get(next.routerId());
        ExclusiveResourceProcessor rp;
        if (primary == null) {
            rp = new ExclusiveResourceProcessor(this, next.routerId(), null);
            primaries.put(next.routerId(), rp);
        } else {
            rp = new ExclusiveResourceProcessor(this, next.routerId(), primary);
        }
        rp.queueUpdate(next);
        return rp;
    }

    /** Updates waiting in the queue (not counting those already handed to a primary). */
    public int qsize() {
        return queue.qsize();
    }

    /** True while some processor holds {@code routerId}. */
    public boolean isProcessing(String routerId) {
        return primaries.containsKey(routerId);
    }

    /** Updates queued with {@link #add} so far. */
    public long added() {
        return added;
    }

    /**
     * Updates added and not yet yielded or superseded: waiting in the queue,
     * held by a primary, or handed to a worker that has not run yet. Every
     * added update ends exactly once as yielded or superseded (a retried one
     * is added again), so 0 means no work is waiting anywhere.
     */
    public long unfinished() {
        return added - yielded - superseded;
    }

    /** Updates handed to a worker by {@link ExclusiveResourceProcessor#nextUpdate} so far. */
    public long yielded() {
        return yielded;
    }

    /** Updates dropped because newer data of their router had already been processed. */
    public long superseded() {
        return superseded;
    }

    /** Routers whose last processed timestamp is still kept (present ones and recent removals). */
    public int trackedRouters() {
        return processed.size();
    }

    // ---- called by ExclusiveResourceProcessor -------------------------------------------------

    /** The timestamp of the data last applied to {@code routerId}, or {@link Long#MIN_VALUE} for "never". */
    long processedTimestamp(String routerId) {
        Long t = processed.get(routerId);
        return t == null ? Long.MIN_VALUE : t;
    }

    void recordProcessed(String routerId, long timestamp, boolean present) {
        Long old = processed.get(routerId);
        if (old != null && old >= timestamp) {
            return;
        }
        if (old != null) {
            unmarkGone(routerId, old);
        }
        processed.put(routerId, timestamp);
        if (!present) {
            gone.computeIfAbsent(timestamp, k -> new HashSet<>()).add(routerId);
            forgetOldRemovals();
        }
    }

    void countYielded(RouterUpdate u) {
        yielded++;
        release(u.timestamp());
    }

    void countSuperseded(RouterUpdate u) {
        superseded++;
        release(u.timestamp());
    }

    void release(ExclusiveResourceProcessor primary) {
        primaries.remove(primary.routerId(), primary);
    }

    /** Puts back an update a primary could not process; its try was already used when it was added. */
    void requeue(RouterUpdate update) {
        queue.putNowait(update);
    }

    private void release(long timestamp) {
        outstanding.computeIfPresent(timestamp, (k, n) -> n == 1 ? null : n - 1);
        forgetOldRemovals();
    }

    private void unmarkGone(String routerId, long timestamp) {
        Set<String> ids = gone.get(timestamp);
        if (ids != null && ids.remove(routerId) && ids.isEmpty()) {
            gone.remove(timestamp);
        }
    }

    /** Drops removals older than anything that could still reach a processor. */
    private void forgetOldRemovals() {
        long oldest = outstanding.isEmpty() ? Long.MAX_VALUE : outstanding.firstKey();
        while (!gone.isEmpty() && gone.firstKey() < oldest) {
            for (String id : gone.pollFirstEntry().getValue()) {
                processed.remove(id);
            }
        }
    }

    Hub enter() {
        Hub h = Hub.get();
        if (hub == null) {
            hub = h;
        } else if (hub != h) {
            throw new IllegalStateException("ResourceProcessingQueue is confined to " + hub
                    + " but was called on " + h + "; hand work to its hub with Hub.callThreadsafe");
        }
        return h;
    }
}

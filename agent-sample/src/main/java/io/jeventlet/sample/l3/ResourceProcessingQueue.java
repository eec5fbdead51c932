package io.jeventlet.sample.l3;

import io.jeventlet.PriorityQueue;
import io.jeventlet.hubs.Hub;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's queue of router updates (Neutron's {@code ResourceProcessingQueue}):
 * updates wait in a green priority queue, and a worker takes the next one
 * with {@link #nextResource()}, which hands it exclusive access to that
 * router through an {@link ExclusiveResourceProcessor}.
 *
 * <pre>{@code
 * try (ExclusiveResourceProcessor rp = queue.nextResource()) {   // blocks for the next update
 *     for (RouterUpdate u = rp.nextUpdate(); u != null; u = rp.nextUpdate()) {
 *         long seen = queue.lastSequence();      // every update up to here is covered by the fetch
 *         ... fetch and configure u.routerId() ...
 *         rp.fetchedAndProcessed(seen);
 *     }
 * }
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 * <li>Exclusive: at most one processor per router is the master at a time, and
 * only the master yields updates, so one router is never processed by two
 * green threads at once.</li>
 * <li>Picked up: an update for a router that has a master goes to the master,
 * which yields it after its current one (the other worker gets nothing and
 * returns at once, without waiting).</li>
 * <li>Superseded: an update whose sequence is not newer than what was last
 * recorded by {@link ExclusiveResourceProcessor#fetchedAndProcessed} for its
 * router is dropped (counted in {@link #superseded()}), since the data already
 * configured is at least as new as it.</li>
 * <li>Nothing is lost: updates still held by a master that is closed early
 * (its worker failed or was killed) go back into the queue.</li>
 * </ul>
 *
 * <p>Thread rule: Hub-confined. The first call binds the queue to the
 * caller's hub; a call from another hub is an {@link IllegalStateException}.
 *
 * <p>Overview: {@code masters} maps a router id to the processor that holds
 * it; an entry exists exactly while that processor is open. {@code processed}
 * maps a router id to the newest sequence whose data was configured; it only
 * grows (as Neutron's timestamps), and a router id that was never processed
 * reads as -1 so any update of it is fresh. The handoff between "the master
 * found its own queue empty" and "the master is removed" involves no
 * blocking call, so with one green thread running at a time no update can
 * slip into a master that has already decided to stop.
 */
public final class ResourceProcessingQueue {
    private final PriorityQueue<RouterUpdate> queue = new PriorityQueue<>();
    private final Map<String, ExclusiveResourceProcessor> masters = new HashMap<>();
    private final Map<String, Long> processed = new HashMap<>();
    private Hub hub;
    private long lastSequence;
    private long added;
    private long yielded;
    private long superseded;

    /**
     * A new update stamped with the next sequence and the hub's clock; it is
     * not queued yet (see {@link #add}).
     */
    public RouterUpdate newUpdate(String routerId, int priority, RouterUpdate.Action action) {
        Hub h = enter();
        return new RouterUpdate(routerId, priority, action, ++lastSequence, h.clock(), RouterUpdate.DEFAULT_TRIES);
    }

    /** The sequence of the newest update made so far (0 before the first). */
    public long lastSequence() {
        enter();
        return lastSequence;
    }

    /** Queues an update, using up one of its tries (Neutron's {@code add}). */
    public void add(RouterUpdate update) {
        enter();
        queue.putNowait(update.withOneTryLess());
        added++;
    }

    /**
     * Blocks until an update is queued, then returns a processor for its
     * router: the master if no other processor holds the router, else a
     * handle that passed the update on to the master and yields nothing.
     * The caller must close it right after {@link ExclusiveResourceProcessor#nextUpdate}
     * returned null, with no blocking call in between (try-with-resources).
     */
    public ExclusiveResourceProcessor nextResource() {
        enter();
        RouterUpdate next = queue.get();
        ExclusiveResourceProcessor master = masters.get(next.routerId());
        ExclusiveResourceProcessor rp;
        if (master == null) {
            rp = new ExclusiveResourceProcessor(this, next.routerId(), null);
            masters.put(next.routerId(), rp);
        } else {
            rp = new ExclusiveResourceProcessor(this, next.routerId(), master);
        }
        rp.queueUpdate(next);
        return rp;
    }

    /** Updates waiting in the queue (not counting those already handed to a master). */
    public int qsize() {
        return queue.qsize();
    }

    /** Green threads blocked in {@link #nextResource()}. */
    public int getting() {
        return queue.getting();
    }

    /** True while some processor holds {@code routerId}. */
    public boolean isProcessing(String routerId) {
        return masters.containsKey(routerId);
    }

    /** Routers held by a processor now. */
    public int processing() {
        return masters.size();
    }

    /** Updates queued with {@link #add} so far. */
    public long added() {
        return added;
    }

    /**
     * Updates added and not yet yielded or superseded: waiting in the queue,
     * held by a master, or handed to a worker that has not run yet. Every
     * added update ends exactly once as yielded or superseded (a retried one
     * is added again), so 0 means no work is left anywhere.
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

    // ---- called by ExclusiveResourceProcessor -------------------------------------------------

    long processedSequence(String routerId) {
        return processed.getOrDefault(routerId, -1L);
    }

    void recordProcessed(String routerId, long sequence) {
        processed.merge(routerId, sequence, Math::max);
    }

    void countYielded() {
        yielded++;
    }

    void countSuperseded() {
        superseded++;
    }

    void release(ExclusiveResourceProcessor master) {
        masters.remove(master.routerId(), master);
    }

    /** Puts back an update a master could not process; its try was already used when it was added. */
    void requeue(RouterUpdate update) {
        queue.putNowait(update);
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

package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Thread rule: hub-confined (the agent's hub), like the agent.
 *
 * <p>The workers' router fetch, batched: the {@code sync_routers} calls that
 * workers need at the same time go to the plugin as one call with the list
 * of their router ids, which is the same RPC Neutron's agent makes for one
 * notified router ({@code get_routers(context, [router_id])}) and, in
 * chunks, for a full sync. Each worker still gets only the routers of its
 * own id, decoded by itself, so a malformed router fails only its own update.
 *
 * <p>Why: with 32 workers per agent, one call per router made the plugin's
 * single hub answer one small call per router, and the fetch, not the
 * driver, bounded the agent (bench/RESULTS.md, "Agent fleet"). Batching the
 * fetches that wait together keeps the answer per router the same and cuts
 * the calls to about one per pool turn.
 *
 * <p>How, without a green thread of its own: the first worker to ask while no
 * call is in flight leads: it yields one hub turn, so that workers woken in
 * the same turn ask too, then takes every waiting id (up to
 * {@link #MAX_BATCH}) into one call; workers that ask meanwhile wait for the next batch. When the
 * call ends the leader hands each worker its result and, if some still wait,
 * makes the first of them the next leader. A worker killed while it waits
 * leaves the batch; a leader killed in its call fails its batch (those
 * workers resync the router, as after any failed fetch) and still hands on.
 * A batched call that fails is not held against every router in it: each
 * worker then asks for its own router alone, as before batching, so a
 * router the plugin cannot serve fails (and, after its tries, is dropped)
 * on its own.
 *
 * <p>Read-ahead: the agent hands over the ids it is notified of
 * ({@link #readAhead}); calls also ask for the next of them (up to
 * {@link #READ_AHEAD} held), each stamped with an open fetch of the queue
 * taken before the call, as a full sync's chunk. A worker whose update is
 * older than such data takes it without a call and records the data's
 * timestamp, so a newer notification is still fetched after it, an older
 * one is superseded and a removal is not undone. When half is used and no
 * call is out, a green thread of the fetcher's own (not a pool worker)
 * refills it; a call that workers wait for reads ahead only as many again
 * as they are, to stay short. Data unused for {@link #READ_AHEAD_TTL} s is
 * dropped (and its open fetch closed).
 *
 * <p>Freshness: a worker's update timestamp is taken before it asks, so it is
 * never later than the moment the plugin read the router for it, as Neutron
 * takes it just before its own call.
 *
 * <p>Lifecycle of the fetcher ({@code inFlight}):
 * <pre>
 * IDLE -> IN_FLIGHT   // a worker asks with no call out: it leads
 * IN_FLIGHT -> IN_FLIGHT  // the call ended and workers wait: the first of them leads the next
 * IN_FLIGHT -> IDLE   // the call ended and nobody waits
 * </pre>
 */
final class RouterFetcher {
    /** Routers asked for in one call at most: Neutron's largest sync_routers chunk. */
    static final int MAX_BATCH = 256;
    /** Routers read ahead and not yet taken, at most. */
    static final int READ_AHEAD = 192;
    /** Seconds a router read ahead waits for its update at most (then it is dropped, unused). */
    static final double READ_AHEAD_TTL = 30;

    /** What a fetch returns: the routers, and the queue timestamp taken before the plugin read them. */
    record Fetched(long timestamp, List<Object> routers) {}

    /** A router read ahead: fetched at {@code timestamp} (an open fetch of the queue), at {@code at} on the hub's clock. */
    private record ReadAhead(long timestamp, List<Object> routers, double at) {}

    private final L3PluginApi plugin;
    private final Supplier<Context> context;
    private final WorkerPhases phases;
    /** The agent's queue, for the timestamps; null: no read-ahead, timestamps 0. */
    private final ResourceProcessingQueue queue;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    /** Routers notified whose update no worker has fetched yet, in notification order. */
    private final LinkedHashSet<String> ahead = new LinkedHashSet<>();
    private final Map<String, ReadAhead> readAhead = new HashMap<>();
    /** The green thread making a read-ahead call of its own ({@link #refillIfLow()}), or null. */
    private GreenThread<?> refiller;
    private long readAheadFetched;
    private long readAheadUsed;
    private boolean inFlight;
    private long calls;
    private long routersAsked;

    /** One worker's fetch. */
    private static final class Request {
        final String routerId;
        final Greenlet waiter = Greenlet.current();
        final long asked;
        /** The update's timestamp: data read ahead serves it only if fetched after it. */
        final long notBefore;
        /** The worker's timestamp, taken as it asked. */
        final long timestamp;
        /** Served by a router read ahead by the call that was out when it asked. */
        ReadAhead served;
        /** Went out in a batched call (callStart, callEnd set). */
        boolean called;
        long callStart;
        long callEnd;
        boolean lead;
        boolean done;
        /** The batched call failed: fetch alone, so one bad router cannot fail the others' updates. */
        boolean alone;
        List<Object> routers;
        RuntimeException failure;

        Request(String routerId, long asked, long notBefore, long timestamp) {
            this.routerId = routerId;
            this.asked = asked;
            this.notBefore = notBefore;
            this.timestamp = timestamp;
        }
    }

    RouterFetcher(L3PluginApi plugin, Supplier<Context> context) {
        this(plugin, context, null, new WorkerPhases(L3Agent.ROUTER_PROCESS_GREENLET_MAX, System::nanoTime));
    }

    /**
     * As above, taking timestamps from {@code queue} (null: none, and no
     * read-ahead) and adding each fetch's wait, call and wake-up to {@code phases}.
     */
    RouterFetcher(L3PluginApi plugin, Supplier<Context> context, ResourceProcessingQueue queue, WorkerPhases phases) {
        this.plugin = plugin;
        this.context = context;
        this.queue = queue;
        this.phases = phases;
    }

    /**
     * A router was notified and its update queued: the next call may fetch
     * it ahead of its worker (see the class comment). No-op without a queue.
     */
    void readAhead(String routerId) {
        if (queue != null && !readAhead.containsKey(routerId)) {
            ahead.add(routerId);
        }
    }

    /**
     * The routers for an update of {@code routerId} stamped {@code notBefore}
     * ({@link Long#MAX_VALUE}: never from a read-ahead), with the queue
     * timestamp to record them at: a router read ahead after the update was
     * stamped if there is one, else fetched now as {@link #fetch(String)}.
     */
    Fetched fetch(String routerId, long notBefore) {
        ahead.remove(routerId);
        ReadAhead r = readAhead.remove(routerId);
        if (r != null) {
            queue.closeFetch(r.timestamp());
            if (r.timestamp() > notBefore) {
                readAheadUsed++;
                refillIfLow();
                return new Fetched(r.timestamp(), r.routers());
            }
        }
        Request me = new Request(routerId, phases.now(), notBefore, queue == null ? 0 : queue.now());
        return fetch(me);
    }

    /**
     * The plugin's routers for {@code routerId} (wire form, empty if it no
     * longer is this agent's), fetched in a batch with whatever other
     * workers ask for meanwhile. Throws what the call threw.
     */
    List<Object> fetch(String routerId) {
        return fetch(routerId, Long.MAX_VALUE).routers();
    }

    private Fetched fetch(Request me) {
        if (inFlight) {
            waiting.add(me);
            boolean woken = false;
            try {
                me.waiter.waitFor(() -> me.done || me.lead);
                woken = true;
            } finally {
                if (!woken) {
                    // Killed (or timed out) while waiting: leave the batch, or pass on a lead just handed over.
                    if (me.lead) {
                        handOn();
                    } else if (!me.done) {
                        waiting.remove(me);
                    }
                }
            }
            if (me.done) {
                return result(me);
            }
        }
        lead(me);
        return result(me);
    }

    private Fetched result(Request r) {
        if (r.called) {
            phases.add(WorkerPhases.Phase.FETCH_WAIT, r.callStart - r.asked);
            phases.add(WorkerPhases.Phase.FETCH_CALL, r.callEnd - r.callStart);
            phases.since(WorkerPhases.Phase.FETCH_WAKE, r.callEnd);
        }
        if (r.alone) {
            calls++;
            routersAsked++;
            long start = phases.now();
            try {
                return new Fetched(r.timestamp, plugin.getRouters(context.get(), List.of(r.routerId)));
            } finally {
                phases.since(WorkerPhases.Phase.FETCH_CALL, start);
            }
        }
        if (r.failure != null) {
            throw r.failure;
        }
        if (r.served != null) {
            return new Fetched(r.served.timestamp(), r.served.routers());
        }
        return new Fetched(r.timestamp, r.routers);
    }

    /** Makes one call for {@code first} and up to MAX_BATCH - 1 waiting requests, then hands the lead on. */
    private void lead(Request first) {
        inFlight = true;
        boolean yielded = false;
        try {
            // One hub turn first: workers made runnable in the same turn (their driver sleeps
            // ended together) ask now and join this call instead of waiting for the next.
            Eventlet.sleep(0);
            yielded = true;
        } finally {
            if (!yielded) {
                handOn(); // killed before calling: the next waiting worker leads
            }
        }
        List<Request> batch = new ArrayList<>();
        if (first != null) {
            batch.add(first);
        }
        while (batch.size() < MAX_BATCH && !waiting.isEmpty()) {
            batch.add(waiting.poll());
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (Request r : batch) {
            ids.add(r.routerId);
        }
        // Read-ahead: fill the call up with routers notified and not yet asked for, each stamped
        // before the call (an open fetch of the queue, as a full sync's chunk), while few are held.
        // A call that workers wait for reads ahead little (as many again as they are), so that it
        // stays short; the fetcher's own refill call reads ahead up to READ_AHEAD.
        Map<String, Long> extra = new LinkedHashMap<>();
        int extraLimit = first == null ? READ_AHEAD : ids.size();
        if (queue != null) {
            dropStale();
            for (Iterator<String> it = ahead.iterator(); it.hasNext() && extra.size() < extraLimit
                    && ids.size() + extra.size() < MAX_BATCH && readAhead.size() + extra.size() < READ_AHEAD;) {
                String id = it.next();
                it.remove();
                if (!ids.contains(id) && !readAhead.containsKey(id)) {
                    extra.put(id, queue.openFetch());
                }
            }
        }
        List<String> asked = new ArrayList<>(ids);
        asked.addAll(extra.keySet());
        if (asked.isEmpty()) {
            handOn(); // a refill with nothing left to read ahead
            return;
        }
        calls++;
        routersAsked += ids.size();
        readAheadFetched += extra.size();
        long callStart = phases.now();
        for (Request r : batch) {
            r.callStart = callStart;
        }
        Map<String, List<Object>> byId = new HashMap<>();
        RuntimeException failure = null;
        boolean returned = false;
        try {
            for (Object wire : plugin.getRouters(context.get(), asked)) {
                Object id = wire instanceof Map<?, ?> m ? m.get("id") : null;
                byId.computeIfAbsent(String.valueOf(id), k -> new ArrayList<>(1)).add(wire);
            }
            returned = true;
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            // Also when the leader is killed in its call (an Error): nobody may be left waiting for it.
            long callEnd = phases.now();
            for (Request r : batch) {
                r.called = true;
                r.callEnd = callEnd;
                if (returned) {
                    r.routers = byId.getOrDefault(r.routerId, List.of());
                } else if (failure != null && ids.size() > 1) {
                    r.alone = true;
                } else {
                    r.failure = failure != null ? failure
                            : new IllegalStateException("the batched sync_routers call for router " + r.routerId
                                    + " ended with its leading worker killed");
                }
                r.done = true;
                if (r != first) {
                    r.waiter.wake();
                }
            }
            double at = Hub.get().clock();
            for (Map.Entry<String, Long> e : extra.entrySet()) {
                if (returned) {
                    readAhead.put(e.getKey(), new ReadAhead(e.getValue(), byId.getOrDefault(e.getKey(), List.of()), at));
                } else {
                    queue.closeFetch(e.getValue());
                }
            }
            serveWaitingFromReadAhead(callEnd);
            handOn();
        }
    }

    /**
     * Half the read-ahead used and no call out: a green thread of its own
     * (not a worker: no pool slot waits for it) reads the next routers ahead
     * now, before a worker finds none and has to wait for a call.
     */
    private void refillIfLow() {
        if (inFlight || refiller != null || readAhead.size() >= READ_AHEAD / 2 || ahead.isEmpty()) {
            return;
        }
        refiller = Eventlet.spawn(() -> {
            try {
                if (!inFlight && !ahead.isEmpty()) {
                    lead(null);
                }
            } finally {
                refiller = null;
            }
        });
    }

    /** Kills a read-ahead call of the fetcher's own that is out (the agent stops); its waiting workers fetch alone. */
    void stop() {
        GreenThread<?> r = refiller;
        if (r != null) {
            r.kill();
            refiller = null;
        }
    }

    /** Workers that asked during the call for a router it read ahead take that router now. */
    private void serveWaitingFromReadAhead(long now) {
        for (Iterator<Request> it = waiting.iterator(); it.hasNext();) {
            Request w = it.next();
            ReadAhead r = readAhead.get(w.routerId);
            if (r == null || w.lead) {
                continue;
            }
            readAhead.remove(w.routerId);
            queue.closeFetch(r.timestamp());
            if (r.timestamp() <= w.notBefore) {
                continue; // the update is newer than the data: it waits for its own fetch
            }
            it.remove();
            readAheadUsed++;
            w.served = r;
            w.called = true;
            w.callStart = now;
            w.callEnd = now;
            w.done = true;
            w.waiter.wake();
        }
    }

    /** Drops routers read ahead whose update has not come for them within READ_AHEAD_TTL. */
    private void dropStale() {
        double cutoff = Hub.get().clock() - READ_AHEAD_TTL;
        for (Iterator<ReadAhead> it = readAhead.values().iterator(); it.hasNext();) {
            ReadAhead r = it.next();
            if (r.at() < cutoff) {
                it.remove();
                queue.closeFetch(r.timestamp());
            }
        }
    }

    /** Routers fetched ahead of their worker so far. */
    long readAheadFetched() {
        return readAheadFetched;
    }

    /** Updates served by a router read ahead so far (no call of their own). */
    long readAheadUsed() {
        return readAheadUsed;
    }

    /** Makes the first waiting request the next leader (the call stays "in flight" until it runs), or ends the run. */
    private void handOn() {
        Request next = waiting.poll();
        if (next == null) {
            inFlight = false;
            return;
        }
        next.lead = true;
        next.waiter.wake();
    }

    /** sync_routers calls made for workers. */
    long calls() {
        return calls;
    }

    /** Router ids asked for in those calls. */
    long routersAsked() {
        return routersAsked;
    }
}

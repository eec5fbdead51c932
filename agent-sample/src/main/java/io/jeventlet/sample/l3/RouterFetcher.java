package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.hubs.Greenlet;
import io.jeventlet.rpc.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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

    private final L3PluginApi plugin;
    private final Supplier<Context> context;
    private final WorkerPhases phases;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean inFlight;
    private long calls;
    private long routersAsked;

    /** One worker's fetch. */
    private static final class Request {
        final String routerId;
        final Greenlet waiter = Greenlet.current();
        final long asked;
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

        Request(String routerId, long asked) {
            this.routerId = routerId;
            this.asked = asked;
        }
    }

    RouterFetcher(L3PluginApi plugin, Supplier<Context> context) {
        this(plugin, context, new WorkerPhases(L3Agent.ROUTER_PROCESS_GREENLET_MAX, System::nanoTime));
    }

    /** As above, adding each fetch's wait, call and wake-up to {@code phases}. */
    RouterFetcher(L3PluginApi plugin, Supplier<Context> context, WorkerPhases phases) {
        this.plugin = plugin;
        this.context = context;
        this.phases = phases;
    }

    /**
     * The plugin's routers for {@code routerId} (wire form, empty if it no
     * longer is this agent's), fetched in a batch with whatever other
     * workers ask for meanwhile. Throws what the call threw.
     */
    List<Object> fetch(String routerId) {
        Request me = new Request(routerId, phases.now());
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

    private List<Object> result(Request r) {
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
                return plugin.getRouters(context.get(), List.of(r.routerId));
            } finally {
                phases.since(WorkerPhases.Phase.FETCH_CALL, start);
            }
        }
        if (r.failure != null) {
            throw r.failure;
        }
        return r.routers;
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
        batch.add(first);
        while (batch.size() < MAX_BATCH && !waiting.isEmpty()) {
            batch.add(waiting.poll());
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (Request r : batch) {
            ids.add(r.routerId);
        }
        calls++;
        routersAsked += ids.size();
        long callStart = phases.now();
        for (Request r : batch) {
            r.callStart = callStart;
        }
        Map<String, List<Object>> byId = new HashMap<>();
        RuntimeException failure = null;
        boolean returned = false;
        try {
            for (Object wire : plugin.getRouters(context.get(), new ArrayList<>(ids))) {
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
            handOn();
        }
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

package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.FixedIntervalLoopingCall;
import io.jeventlet.GreenPool;
import io.jeventlet.GreenThread;
import io.jeventlet.Timeout;
import io.jeventlet.hubs.Hub;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An L3-agent-like daemon with the shape of Neutron's {@code L3NATAgent}:
 * {@link #afterStart()} spawns {@code processRoutersLoop}, which keeps a
 * {@code GreenPool(workers)} full of {@code processRouterUpdate} green
 * threads; each takes the next router from the {@link ResourceProcessingQueue},
 * fetches it from the plugin and configures it (a cooperative sleep here).
 * Plugin notifications ({@link AgentNotifications}) only queue updates; a
 * {@link FixedIntervalLoopingCall} resyncs every router, another reports the
 * agent's state to the plugin.
 *
 * <p>Guarantees: a router is processed by one green thread at a time; at most
 * {@code workers} routers are processed at once; every notified change is
 * either processed or superseded by a later fetch of the same router, so
 * once updates stop and the queue drains, {@link #routers()} equals the
 * plugin's routers. {@link ProcessingStats} checks the first two as it runs.
 *
 * <p>Thread rule: Hub-confined: construct it, call every method and run every
 * green thread on one hub (the one that calls {@link #afterStart()}).
 *
 * <p>Lifecycle:
 * <pre>
 * NEW -> RUNNING       // afterStart(): processing loop, resync and report loops started
 * RUNNING -> STOPPING  // stop(): loops stopped, idle workers killed
 * STOPPING -> STOPPED  // stop(): busy workers finished their router (or were killed after the grace time)
 * </pre>
 *
 * <p>Overview: {@code idleWorkers} holds the workers blocked in
 * {@link ResourceProcessingQueue#nextResource()}; they hold no router, so
 * {@code stop()} kills them, while a busy worker sees the state change after
 * its current update and leaves, its processor putting back any update it
 * still held. {@code loop} is the processing loop's green thread (a view made
 * by {@link Eventlet#getCurrent()} inside it, as it is started with
 * {@code spawnN}); it is null until the loop first runs.
 */
public final class L3Agent implements AgentNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(L3Agent.class);

    /** Seconds {@link #stop()} lets busy workers finish before it kills them. */
    static final double STOP_GRACE = 10;

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final AgentSettings settings;
    private final PluginApi plugin;
    private final ResourceProcessingQueue queue = new ResourceProcessingQueue();
    private final ProcessingStats stats;
    private final Map<String, Router> routers = new HashMap<>();
    private final Set<GreenThread<?>> idleWorkers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<GreenThread<?>> busyWorkers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final GreenPool pool;
    private final FixedIntervalLoopingCall resync = new FixedIntervalLoopingCall(this::periodicResync);
    private final FixedIntervalLoopingCall report = new FixedIntervalLoopingCall(this::reportState);
    private GreenThread<?> loop;
    private Hub hub;
    private State state = State.NEW;
    private double startedAt;
    private long resyncs;
    private long reports;

    /** An agent that talks to {@code plugin}; nothing runs until {@link #afterStart()}. */
    public L3Agent(AgentSettings settings, PluginApi plugin) {
        this.settings = settings;
        this.plugin = plugin;
        this.stats = new ProcessingStats(settings.workers());
        this.pool = new GreenPool(settings.workers());
    }

    /**
     * Neutron's {@code after_start}: spawns the processing loop and starts the
     * resync loop (at once, then every {@code resyncInterval}) and the state
     * report loop (at once, then every {@code reportInterval}). Returns at once.
     */
    public void afterStart() {
        hub = Hub.get();
        hub.checkConfined();
        if (state != State.NEW) {
            throw new IllegalStateException("afterStart() in state " + state + ": expected NEW");
        }
        state = State.RUNNING;
        startedAt = hub.clock();
        Eventlet.spawnN(this::processRoutersLoop);
        resync.start(settings.resyncInterval(), 0, false);
        report.start(settings.reportInterval(), 0, false);
        LOG.info("L3 agent {} started: {} workers, report every {} s, resync every {} s", settings.host(),
                settings.workers(), settings.reportInterval(), settings.resyncInterval());
    }

    /**
     * Stops the loops, kills idle workers, lets busy ones finish their router
     * (killing them after {@link #STOP_GRACE} seconds) and waits for the pool
     * to empty. Idempotent; a never-started agent just becomes STOPPED.
     */
    public void stop() {
        if (state != State.RUNNING) {
            state = State.STOPPED;
            return;
        }
        hub.checkConfined();
        state = State.STOPPING;
        resync.stop();
        report.stop();
        if (loop != null) {
            loop.kill();
        }
        for (GreenThread<?> w : List.copyOf(idleWorkers)) {
            w.kill();
        }
        if (!Timeout.withTimeout(STOP_GRACE, () -> {
            pool.waitAll();
            return true;
        }, false)) {
            LOG.warn("{} workers still busy {} s after stop; killing them", busyWorkers.size(), STOP_GRACE);
            for (GreenThread<?> w : List.copyOf(busyWorkers)) {
                w.kill();
            }
            pool.waitAll();
        }
        resync.await();
        report.await();
        state = State.STOPPED;
        LOG.info("L3 agent {} stopped", settings.host());
    }

    // ---- AgentNotifications: what the plugin tells the agent ----------------------------------

    /** Queues an update of each router (priority RPC). */
    @Override
    public void routersUpdated(List<String> ids) {
        hub.checkConfined();
        for (String id : ids) {
            queue.add(queue.newUpdate(id, RouterUpdate.PRIORITY_RPC, RouterUpdate.Action.UPDATE));
        }
    }

    /** Queues the removal of the router (priority RPC). */
    @Override
    public void routerDeleted(String id) {
        hub.checkConfined();
        queue.add(queue.newUpdate(id, RouterUpdate.PRIORITY_RPC, RouterUpdate.Action.DELETE));
    }

    // ---- the green threads --------------------------------------------------------------------

    /** Neutron's {@code _process_routers_loop}: keeps the pool full of workers while running. */
    private void processRoutersLoop() {
        loop = Eventlet.getCurrent();
        while (state == State.RUNNING) {
            pool.spawnN(this::processRouterUpdate);
        }
    }

    /**
     * Neutron's {@code _process_router_update}: waits for the next router and
     * processes every fresh update of it until none is left.
     */
    private void processRouterUpdate() {
        if (state != State.RUNNING) {
            return;
        }
        GreenThread<?> me = Eventlet.getCurrent();
        ExclusiveResourceProcessor rp;
        idleWorkers.add(me);
        try {
            rp = queue.nextResource();
        } finally {
            idleWorkers.remove(me);
        }
        busyWorkers.add(me);
        try (rp) {
            for (RouterUpdate u = rp.nextUpdate(); u != null; u = state == State.RUNNING ? rp.nextUpdate() : null) {
                process(rp, u);
            }
        } finally {
            busyWorkers.remove(me);
        }
    }

    /** Fetches the router (unless deleted), configures it, and records the data as processed. */
    private void process(ExclusiveResourceProcessor rp, RouterUpdate u) {
        String id = u.routerId();
        stats.begin(id);
        boolean ok = false;
        try {
            // Everything the agent has heard of up to now is covered by the fetch that follows.
            long covered = u.action() == RouterUpdate.Action.DELETE ? u.sequence() : queue.lastSequence();
            Router router = null;
            if (u.action() != RouterUpdate.Action.DELETE) {
                List<Router> found = plugin.getRouters(List.of(id));
                router = found.isEmpty() ? null : found.getFirst();
            }
            if (settings.configureTime() > 0) {
                Eventlet.sleep(settings.configureTime());
            }
            if (router == null) {
                routers.remove(id);
            } else {
                routers.put(id, router);
            }
            rp.fetchedAndProcessed(covered);
            ok = true;
        } catch (RuntimeException e) {
            if (u.hitRetryLimit()) {
                LOG.error("router {}: giving up on {} after its last try", id, u, e);
            } else {
                LOG.warn("router {}: {} failed, queued again: {}", id, u, e.toString());
                queue.add(u);
            }
        } finally {
            stats.end(id, ok);
        }
    }

    /** Queues a resync of every router the plugin has and every router the agent still has. */
    private void periodicResync() {
        List<String> ids = plugin.getRouterIds();
        Set<String> all = new LinkedHashSet<>(ids);
        all.addAll(routers.keySet());
        for (String id : all) {
            queue.add(queue.newUpdate(id, RouterUpdate.PRIORITY_RESYNC, RouterUpdate.Action.RESYNC));
        }
        resyncs++;
        LOG.debug("resync {}: {} routers queued", resyncs, all.size());
    }

    /** Sends the state report and logs it as the agent's progress line. */
    private void reportState() {
        AgentState s = state();
        reports++;
        LOG.info("report {}: {} routers, {} processed, {} superseded, queue {}, workers {} now / {} max of {}",
                reports, s.routers(), s.updatesProcessed(), s.updatesSuperseded(), s.queueDepth(), s.activeWorkers(),
                s.maxConcurrentWorkers(), settings.workers());
        plugin.reportState(s);
    }

    // ---- observation --------------------------------------------------------------------------

    /** The agent's state now, as it reports it. */
    public AgentState state() {
        return new AgentState(settings.host(), hub == null ? 0 : hub.clock() - startedAt, routers.size(),
                queue.added(), stats.processed(), queue.superseded(), queue.qsize(), stats.active(),
                stats.maxConcurrent(), stats.concurrentRouterViolations(), stats.failures());
    }

    /** The routers configured now, by id. */
    public Map<String, Router> routers() {
        return Collections.unmodifiableMap(new TreeMap<>(routers));
    }

    /** True when no queued update is unfinished and no router is being processed. */
    public boolean idle() {
        return queue.unfinished() == 0 && stats.active() == 0;
    }

    /** The processing counters and invariant checks. */
    public ProcessingStats stats() {
        return stats;
    }

    /** The agent's settings. */
    public AgentSettings settings() {
        return settings;
    }

    /** Full resyncs done so far. */
    public long resyncs() {
        return resyncs;
    }

    /** State reports sent so far. */
    public long reports() {
        return reports;
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.FixedIntervalLoopingCall;
import io.jeventlet.GreenPool;
import io.jeventlet.GreenThread;
import io.jeventlet.Timeout;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.MessagingTimeout;
import io.jeventlet.service.GreenPoolMetrics;
import io.jeventlet.service.PeriodicTask;
import io.jeventlet.service.PeriodicTasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The L3 agent, with the shape and semantics of Neutron's
 * {@code L3NATAgentWithStateReport}: {@link #afterStart()} spawns
 * {@code processRoutersLoop}, which keeps a {@link GreenPool} full of
 * {@code processUpdate} green threads; each takes the next router from the
 * {@link ResourceProcessingQueue}, fetches it from the plugin (unless the
 * update carries it) and applies it with the {@link RouterDriver}. Fetches
 * that workers need at the same moment go out as one {@code sync_routers}
 * call with their router ids ({@link RouterFetcher}). The RPC
 * notifications ({@link L3AgentEndpoint}) only queue updates.
 *
 * <p>Neutron's rules, kept here:
 * <ul>
 * <li>Priorities: related router 0, RPC 1, full sync 2; then the timestamp.</li>
 * <li>A failed update (fetch failed, router malformed, apply failed) is queued
 * again at priority 2 with a fresh timestamp until its tries run out, then
 * dropped with a warning.</li>
 * <li>The pool has {@code max(8, min(32, routers))} green threads, resized
 * (and logged) as routers come and go.</li>
 * <li>The full sync ({@link FullSync}) is a {@code @PeriodicTask}, run every
 * {@code service.periodic_interval} (first after a random delay up to
 * {@code service.periodic_fuzzy_delay}), that works only while {@code fullsync} is set: at start,
 * when a state report is answered {@code revived}, on {@code agent_updated},
 * at the first successful state report after failed ones (notifications
 * may have been lost meanwhile), and again after a failed sync. It asks for {@code get_router_ids}, then
 * {@code sync_routers} in chunks (256 at first; halved on
 * {@code MessagingTimeout} down to 32; grown by 32 after a success), and
 * queues the removal of routers the plugin no longer lists (or that the
 * driver still holds from before a restart).</li>
 * <li>The state report ({@link StateReporter}) runs every
 * {@code report_interval}, at once first.</li>
 * </ul>
 *
 * <p>Guarantees: a router is processed by one green thread at a time; every
 * change notified (or found by a full sync) is applied or superseded by a
 * newer fetch of the same router, so once changes stop and the queue drains,
 * {@link #routers()} equals what the plugin scheduled here.
 * {@link ProcessingStats} checks the first as it runs.
 *
 * <p>Thread rule: Hub-confined: construct it, call every method and run every
 * green thread on one hub (the one that calls {@link #afterStart()}).
 *
 * <p>Lifecycle:
 * <pre>
 * NEW -> RUNNING       // afterStart(): processing loop, report and periodic loops started
 * RUNNING -> STOPPING  // stop(): loops stopped, idle workers killed
 * STOPPING -> STOPPED  // stop(): busy workers finished their router (or were killed after the grace time)
 * </pre>
 *
 * <p>Overview: {@code routerInfo} is Neutron's {@code router_info}: the routers
 * applied, by id. {@code idleWorkers} holds the workers blocked in
 * {@link ResourceProcessingQueue#nextResource()}; they hold no router, so
 * {@code stop()} kills them, while a busy worker sees the state change after
 * its current update and leaves, its processor putting back any update it
 * still held.
 */
public final class L3Agent extends PeriodicTasks {
    private static final Logger LOG = LoggerFactory.getLogger(L3Agent.class);

    /** The processing pool's size bounds (Neutron's ROUTER_PROCESS_GREENLET_MIN / MAX). */
    public static final int ROUTER_PROCESS_GREENLET_MIN = 8;
    /** See {@link #ROUTER_PROCESS_GREENLET_MIN}. */
    public static final int ROUTER_PROCESS_GREENLET_MAX = 32;
    /** Seconds {@link #stop()} lets busy workers finish before it kills them. */
    static final double STOP_GRACE = 10;

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final L3AgentConfig config;
    private final L3PluginApi plugin;
    private final RouterDriver driver;
    private final WallClock wallClock;
    private final ResourceProcessingQueue queue = new ResourceProcessingQueue();
    private final ProcessingStats stats = new ProcessingStats(ROUTER_PROCESS_GREENLET_MAX);
    private final LatencyHistogram latency = new LatencyHistogram();
    private final WorkerPhases phases = new WorkerPhases(ROUTER_PROCESS_GREENLET_MAX, System::nanoTime);
    private final Map<String, Router> routerInfo = new HashMap<>();
    private final Set<GreenThread<?>> idleWorkers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<GreenThread<?>> busyWorkers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final GreenPool pool = new GreenPool(ROUTER_PROCESS_GREENLET_MIN);
    /** The pool's series ({@code jeventlet_greenpool_*{pool="router_processing:<host>"}}) while running. */
    private GreenPoolMetrics poolMetrics;
    /** Replaced when the report interval changes (SIGHUP); the old one ends after its current run. */
    private FixedIntervalLoopingCall heartbeat = new FixedIntervalLoopingCall(this::reportState);
    private double reportInterval;
    private final FixedIntervalLoopingCall periodic = new FixedIntervalLoopingCall(this::periodicTasks);
    private final StateReporter reporter;
    private final RouterNotifications notifications;
    private final FullSync fullSync;
    private final RouterFetcher fetcher;
    private GreenThread<?> loop;
    private Hub hub;
    private Instant startedAt = Instant.MAX;
    private State state = State.NEW;
    private boolean fullsync = true;
    private long fullSyncs;
    private long failedFullSyncs;
    private long droppedUpdates;
    private long routersApplied;
    /** New routers being applied now: they count for the pool's size already ({@link #resizeProcessPool()}). */
    private int routersAdding;
    private long notificationsReceived;
    private long routersNotified;
    private Instant firstNotified;
    private Instant firstBegun;
    private Instant lastApplied;

    /** An agent that talks to {@code plugin} and applies routers with {@code driver}; nothing runs until {@link #afterStart()}. */
    public L3Agent(L3AgentConfig config, L3PluginApi plugin, RouterDriver driver, WallClock wallClock) {
        this(config, plugin, driver, wallClock, RouterNotifications.none(config.host()));
    }

    /** As the four-argument constructor, emitting router notifications through {@code notifications}. */
    public L3Agent(L3AgentConfig config, L3PluginApi plugin, RouterDriver driver, WallClock wallClock,
                   RouterNotifications notifications) {
        this.notifications = notifications;
        this.config = config;
        this.plugin = plugin;
        this.driver = driver;
        this.wallClock = wallClock;
        this.reporter = new StateReporter(plugin, config.host(), config.reportInterval());
        this.reportInterval = config.reportInterval();
        this.fullSync = new FullSync(plugin, queue);
        this.fetcher = new RouterFetcher(plugin, L3Agent::context, queue, phases);
        driver.phases(phases);
    }

    /**
     * Neutron's {@code after_start}: spawns the processing loop, starts the
     * state report (at once, then every {@code report_interval}) and the
     * periodic tasks (after up to {@code periodic_fuzzy_delay}, then every
     * {@code periodic_interval}). Returns at once.
     */
    public void afterStart() {
        enter();
        if (state != State.NEW) {
            throw new IllegalStateException("afterStart() in state " + state + ": expected NEW");
        }
        state = State.RUNNING;
        startedAt = wallClock.now();
        poolMetrics = GreenPoolMetrics.bind("router_processing:" + config.host(), pool);
        Eventlet.spawnN(this::processRoutersLoop);
        heartbeat.start(reportInterval, 0, false);
        double fuzzy = config.periodicFuzzyDelay() > 0
                ? ThreadLocalRandom.current().nextDouble(config.periodicFuzzyDelay()) : 0;
        periodic.start(config.periodicInterval(), fuzzy, false);
        LOG.info("L3 agent {} started: report every {} s, periodic tasks every {} s (first in {} s)", config.host(),
                config.reportInterval(), config.periodicInterval(), String.format("%.1f", fuzzy));
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
        heartbeat.stop();
        periodic.stop();
        if (loop != null) {
            loop.kill();
        }
        for (GreenThread<?> w : List.copyOf(idleWorkers)) {
            w.kill();
        }
        fetcher.stop();
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
        heartbeat.await();
        periodic.await();
        poolMetrics.close();
        state = State.STOPPED;
        LOG.info("L3 agent {} stopped", config.host());
    }

    /**
     * Reports state every {@code seconds} from now on (and waits that long
     * for each report): {@code agent.report_interval} reloaded by SIGHUP.
     */
    public void setReportInterval(double seconds) {
        if (hub != null) {
            hub.checkConfined();
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("report_interval = " + seconds + " is not valid: must be > 0 and finite");
        }
        double old = reportInterval;
        reportInterval = seconds;
        reporter.timeout(seconds);
        if (state == State.RUNNING) {
            heartbeat.stop();
            heartbeat = new FixedIntervalLoopingCall(this::reportState);
            heartbeat.start(seconds, seconds, false);
        }
        LOG.info("L3 agent {}: report_interval {} s -> {} s", config.host(), old, seconds);
    }

    // ---- what the RPC endpoint hands in (Neutron's endpoint methods); each only queues ----------

    /** {@code routers_updated}: queues an update of each router (ids, or router dicts with an id). */
    public void routersUpdated(List<?> routers) {
        enter();
        notificationsReceived++;
        routersNotified += routers.size();
        if (firstNotified == null && !routers.isEmpty()) {
            firstNotified = wallClock.now();
        }
        for (Object r : routers) {
            String id = r instanceof Map<?, ?> m ? String.valueOf(m.get("id")) : String.valueOf(r);
            queue.add(queue.newUpdate(id, RouterUpdate.PRIORITY_RPC, RouterUpdate.Action.ADD_UPDATE_ROUTER));
            fetcher.readAhead(id);
        }
    }

    /** {@code router_deleted}: queues the router's removal. */
    public void routerDeleted(String routerId) {
        enter();
        queue.add(queue.newUpdate(routerId, RouterUpdate.PRIORITY_RPC, RouterUpdate.Action.DELETE_ROUTER));
    }

    /** {@code agent_updated}: the plugin changed this agent (e.g. its admin state); sync everything. */
    public void agentUpdated(Map<String, ?> payload) {
        enter();
        fullsync = true;
        LOG.info("agent_updated by server side {}!", payload);
    }

    /**
     * Binds the agent to the caller's hub on first use (a notification may
     * come in as soon as the RPC server listens, just before {@link #afterStart()})
     * and checks every later call is on it.
     */
    private void enter() {
        if (hub == null) {
            hub = Hub.get();
        }
        hub.checkConfined();
    }

    // ---- the green threads --------------------------------------------------------------------

    /** Neutron's {@code _process_routers_loop}: keeps the pool full of workers while running. */
    private void processRoutersLoop() {
        loop = Eventlet.getCurrent();
        while (state == State.RUNNING) {
            pool.spawnN(this::processUpdate);
        }
    }

    /**
     * Neutron's {@code _process_update}, in a loop: waits for the next router
     * and processes its fresh updates, then the next, while its slot is in the pool.
     */
    private void processUpdate() {
        GreenThread<?> me = Eventlet.getCurrent();
        // A worker goes on to the next router while its slot is still in the pool: one green thread
        // per router put the loop's hub turn and a green thread's start between two routers of every
        // slot (bench/RESULTS.md, "Where a worker's time goes"). A shrunk pool is left by its extra workers.
        while (state == State.RUNNING && pool.running() <= pool.size()) {
            processResource(me);
        }
    }

    /** Waits for the next router and processes its fresh updates. */
    private void processResource(GreenThread<?> me) {
        ExclusiveResourceProcessor rp;
        long waitStart = phases.now();
        idleWorkers.add(me);
        try {
            rp = queue.nextResource();
        } finally {
            idleWorkers.remove(me);
        }
        phases.idleSince(waitStart);
        busyWorkers.add(me);
        try (rp) {
            for (RouterUpdate u = rp.nextUpdate(); u != null; u = state == State.RUNNING ? rp.nextUpdate() : null) {
                LOG.debug("Starting router update for {}, action {}, priority {}. Wait time elapsed: {} s",
                        u.routerId(), u.action(), u.priority(), hub.clock() - u.createdAt());
                stats.begin(u.routerId());
                phases.busy();
                if (firstBegun == null) {
                    firstBegun = wallClock.now();
                }
                long[] applyEnded = {Long.MIN_VALUE};
                boolean ok = false;
                try {
                    ok = processRouterUpdate(rp, u, applyEnded);
                } finally {
                    stats.end(u.routerId(), ok);
                    if (applyEnded[0] != Long.MIN_VALUE) {
                        phases.since(WorkerPhases.Phase.AFTER, applyEnded[0]);
                    }
                    phases.done();
                }
            }
        } finally {
            busyWorkers.remove(me);
        }
    }

    /** Neutron's {@code _process_router_update}; true if the router ended up processed. */
    private boolean processRouterUpdate(ExclusiveResourceProcessor rp, RouterUpdate u, long[] applyEnded) {
        List<Object> routers = new ArrayList<>();
        if (u.resource() != null) {
            routers.add(u.resource());
        }
        boolean related = u.action() == RouterUpdate.Action.ADD_UPDATE_RELATED_ROUTER
                || u.action() == RouterUpdate.Action.DELETE_RELATED_ROUTER;
        long timestamp = u.timestamp();
        if ((u.action() != RouterUpdate.Action.DELETE_ROUTER && routers.isEmpty()) || related) {
            try {
                routers.clear();
                // A related router's data is fetched now (read-ahead serves only its own notified update).
                RouterFetcher.Fetched fetched = fetcher.fetch(u.routerId(), related ? Long.MAX_VALUE : u.timestamp());
                timestamp = fetched.timestamp();
                long decodeStart = phases.now();
                for (Object wire : fetched.routers()) {
                    routers.add(Router.fromWire(wire));
                }
                phases.since(WorkerPhases.Phase.DECODE, decodeStart);
            } catch (RuntimeException e) {
                LOG.warn("Failed to fetch router information for '{}': {}", u.routerId(), e.getMessage());
                resyncRouter(u);
                return false;
            }
            if (related) {
                routers.removeIf(r -> !((Router) r).id().equals(u.routerId()));
            }
        }
        if (routers.isEmpty()) {
            if (safeRouterRemoved(u.routerId())) {
                // Older updates still queued (a full sync's) must not bring the router back.
                rp.fetchedAndRemoved(timestamp);
                return true;
            }
            resyncRouter(u);
            return false;
        }
        if (!processRoutersIfCompatible(routers, u, applyEnded)) {
            resyncRouter(u);
            return false;
        }
        rp.fetchedAndProcessed(timestamp);
        return true;
    }

    /** Applies the router of the update; queues any other router the data names as a related update. */
    private boolean processRoutersIfCompatible(List<Object> routers, RouterUpdate u, long[] applyEnded) {
        boolean result = true;
        for (Object o : routers) {
            Router r = (Router) o;
            if (!r.id().equals(u.routerId())) {
                // Another worker may hold that router: queue it rather than race.
                queue.add(queue.newUpdate(r.id(), RouterUpdate.PRIORITY_RELATED_ROUTER,
                        u.action() == RouterUpdate.Action.DELETE_ROUTER ? RouterUpdate.Action.DELETE_RELATED_ROUTER
                                : RouterUpdate.Action.ADD_UPDATE_RELATED_ROUTER));
                continue;
            }
            try {
                applyRouter(r, applyEnded);
            } catch (RuntimeException e) {
                LOG.warn("Failed to process compatible router: {}: {}", u.routerId(), e.toString());
                result = false;
            }
        }
        return result;
    }

    /** Applies {@code r}; sets {@code applyEnded[0]} to when the driver returned ({@link WorkerPhases#now()}). */
    private void applyRouter(Router r, long[] applyEnded) {
        Router old = routerInfo.get(r.id());
        Context ctx = context();
        notifications.updateStart(ctx, r);
        if (old == null) {
            // As Neutron's _router_added: a new router counts for the pool's size from the start of its
            // processing, not from its end, so the first workers' routers grow the pool at once.
            routersAdding++;
            resizeProcessPool();
        }
        try {
            driver.apply(r);
        } finally {
            applyEnded[0] = phases.now();
            if (old == null) {
                routersAdding--;
            }
        }
        notifications.updateEnd(ctx, r);
        routerInfo.put(r.id(), r);
        routersApplied++;
        lastApplied = wallClock.now();
        // A change made before this agent started waited for the agent, not in it: not counted.
        if ((old == null || old.revisionNumber() < r.revisionNumber()) && r.updatedAt().isAfter(startedAt)) {
            latency.record(Duration.between(r.updatedAt(), wallClock.now()).toNanos() / 1e6);
        }
        if (old == null) {
            resizeProcessPool();
        }
    }

    /** Neutron's {@code _safe_router_removed}: removes the router; false if that failed. */
    private boolean safeRouterRemoved(String routerId) {
        Context ctx = context();
        try {
            notifications.deleteStart(ctx, routerId);
            driver.remove(routerId);
        } catch (RuntimeException e) {
            LOG.warn("Error while deleting router {}: {}", routerId, e.toString());
            return false;
        }
        notifications.deleteEnd(ctx, routerId);
        if (routerInfo.remove(routerId) != null) {
            resizeProcessPool();
        }
        return true;
    }

    /** Neutron's {@code _resync_router}: the update again at priority 2 with a fresh timestamp, or dropped. */
    private void resyncRouter(RouterUpdate u) {
        if (u.hitRetryLimit()) {
            droppedUpdates++;
            LOG.warn("Hit retry limit with router update for {}, action {}", u.routerId(), u.action());
            return;
        }
        queue.add(u.forRetry(queue.now()));
    }

    /** Neutron's {@code _resize_process_pool}: {@code max(8, min(32, routers))} green threads. */
    private void resizeProcessPool() {
        int size = Math.max(ROUTER_PROCESS_GREENLET_MIN,
                Math.min(ROUTER_PROCESS_GREENLET_MAX, routerInfo.size() + routersAdding));
        if (size == pool.size()) {
            return;
        }
        LOG.info("Resizing router processing queue green pool size to: {}", size);
        pool.resize(size);
    }

    // ---- the periodic task: full sync ---------------------------------------------------------

    /**
     * What Neutron's service runs every {@code periodic_interval}: the due
     * periodic tasks. The full sync's spacing is 1 s, so it is due at every
     * run; the looping call sets the pace, as in Neutron.
     */
    private void periodicTasks() {
        runPeriodicTasks(context(), false);
    }

    /**
     * Neutron's {@code periodic_sync_routers_task}: a full sync, only while
     * {@code fullsync} is set; a failure leaves it set, so the next run tries again.
     */
    @PeriodicTask(spacing = 1, runImmediately = true)
    void periodicSyncRoutersTask(Context ctx) {
        if (!fullsync || state != State.RUNNING) {
            return;
        }
        LOG.debug("Starting fullsync periodic_sync_routers_task");
        // As Neutron's namespace manager: what is set up on the host counts too, so a restarted
        // agent removes the routers it had before that are no longer its own.
        Set<String> present = new HashSet<>(routerInfo.keySet());
        present.addAll(driver.applied().keySet());
        try {
            fullSync.run(ctx, present);
        } catch (MessagingTimeout e) {
            failedFullSyncs++;
            throw e;
        } catch (MessagingException e) {
            // Neutron's AbortSyncRouters: already logged by the sync; the sync stays due.
            failedFullSyncs++;
            return;
        } catch (RuntimeException e) {
            failedFullSyncs++;
            throw e;
        }
        fullsync = false;
        fullSyncs++;
        LOG.debug("periodic_sync_routers_task successfully completed");
    }

    // ---- the state report ---------------------------------------------------------------------

    /** Neutron's {@code _report_state}: the counts of what is applied, sent by the {@link StateReporter}. */
    private void reportState() {
        int interfaces = 0;
        int floatingIps = 0;
        for (Router r : routerInfo.values()) {
            interfaces += r.interfaces().size();
            floatingIps += r.floatingIps().size();
        }
        Map<String, Object> configurations = new LinkedHashMap<>();
        configurations.put("routers", routerInfo.size());
        configurations.put("interfaces", interfaces);
        configurations.put("floating_ips", floatingIps);
        configurations.put("updates_processed", stats.processed());
        if (reporter.report(context(), configurations)) {
            fullsync = true;
        }
    }

    /** A fresh context per call, with its own request id (as Neutron's {@code context} property). */
    private static Context context() {
        return Context.of(Map.of("request_id", "req-" + UUID.randomUUID()));
    }

    // ---- observation --------------------------------------------------------------------------

    /** The routers applied now, by id, with their revision. */
    public Map<String, Long> routers() {
        Map<String, Long> out = new TreeMap<>();
        routerInfo.forEach((id, r) -> out.put(id, r.revisionNumber()));
        return out;
    }

    /** True when no update is waiting or being processed. */
    public boolean idle() {
        return queue.unfinished() == 0 && stats.active() == 0;
    }

    /** True while a full sync is due (Neutron's {@code fullsync}). */
    public boolean fullSyncPending() {
        return fullsync;
    }

    /** The chunk size the next full sync asks {@code sync_routers} for. */
    public int syncRoutersChunkSize() {
        return fullSync.chunkSize();
    }

    /** The processing pool's size now. */
    public int poolSize() {
        return pool.size();
    }

    /** {@code sync_routers} calls the workers' fetches made (batched: fewer than the routers fetched). */
    public long fetchCalls() {
        return fetcher.calls();
    }

    /** Router ids the workers' fetches asked for. */
    public long routersFetched() {
        return fetcher.routersAsked();
    }

    private static long epochMs(Instant t) {
        return t == null ? -1 : t.toEpochMilli();
    }

    /** Where the workers' time went, per phase, and how many were busy over time. */
    public WorkerPhases phases() {
        return phases;
    }

    /** The processing counters and invariant checks. */
    public ProcessingStats stats() {
        return stats;
    }

    /** The update queue (for its counters). */
    public ResourceProcessingQueue queue() {
        return queue;
    }

    /** Change-to-applied latencies of the routers applied at a new revision changed since the agent started. */
    public LatencyHistogram latency() {
        return latency;
    }

    /** The agent's settings. */
    public L3AgentConfig config() {
        return config;
    }

    /** The clock latencies are measured on. */
    public WallClock wallClock() {
        return wallClock;
    }

    /** The driver (the simulated host). */
    public RouterDriver driver() {
        return driver;
    }

    /** Full syncs completed. */
    public long fullSyncs() {
        return fullSyncs;
    }

    /** Full syncs that failed. */
    public long failedFullSyncs() {
        return failedFullSyncs;
    }

    /** State reports attempted. */
    public long reports() {
        return reporter.reports();
    }

    /** State reports that failed. */
    public long failedReports() {
        return reporter.failedReports();
    }

    /** Updates dropped after their last try. */
    public long droppedUpdates() {
        return droppedUpdates;
    }

    /** Router applications done (including re-applications of unchanged routers by a full sync). */
    public long routersApplied() {
        return routersApplied;
    }

    /** The agent's counters as JSON-shaped values: what the demo's status call returns. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", config.host());
        s.put("routers", routers());
        s.put("idle", idle());
        s.put("fullsync", fullsync);
        s.put("updates_processed", stats.processed());
        s.put("updates_failed", stats.failures());
        s.put("updates_superseded", queue.superseded());
        s.put("updates_dropped", droppedUpdates);
        s.put("fetch_calls", fetcher.calls());
        s.put("routers_fetched", fetcher.routersAsked());
        s.put("routers_read_ahead", fetcher.readAheadFetched());
        s.put("read_ahead_used", fetcher.readAheadUsed());
        s.put("full_syncs", fullSyncs);
        s.put("reports", reporter.reports());
        s.put("report_interval", reportInterval);
        s.put("failed_reports", reporter.failedReports());
        s.put("plugin_calls_timed_out", plugin.timedOutCalls());
        s.put("pool_size", pool.size());
        s.put("concurrent_router_violations", stats.concurrentRouterViolations());
        s.put("latency", latency.toWire());
        s.put("notifications", notificationsReceived);
        s.put("routers_notified", routersNotified);
        s.put("first_notified_at_ms", epochMs(firstNotified));
        s.put("first_update_begun_at_ms", epochMs(firstBegun));
        s.put("last_router_applied_at_ms", epochMs(lastApplied));
        s.put("worker_phases", phases.toWire());
        List<Double> busy = new ArrayList<>();
        for (double d : phases.busySlotSeconds()) {
            busy.add(d);
        }
        s.put("busy_slots", busy);
        s.put("busy_span", phases.activeSpan());
        return s;
    }
}

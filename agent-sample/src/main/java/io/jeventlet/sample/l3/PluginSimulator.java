package io.jeventlet.sample.l3;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for Neutron's L3 service plugin and its agent scheduler: it owns
 * the router database, schedules routers to the agents it has heard report,
 * tracks their liveness, drives a workload of creates, updates and deletes
 * as casts to the agent hosting each router, answers the agents' calls, and
 * can misbehave on purpose ({@link PluginFaults}).
 *
 * <p>Guarantees:
 * <ul>
 * <li>Every change is committed to the database first and cast after, so
 * data an agent fetches after a notification is at least as new as it.</li>
 * <li>Scheduling: a router is hosted by at most one agent, the alive one with
 * the fewest routers when it was scheduled; routers created while no agent
 * is alive wait unscheduled, and are spread over the alive agents at the
 * next report that is not an agent's first (so agents started together
 * share the routers that were waiting for them).</li>
 * <li>Liveness (Neutron's {@code agent_down_time}): an agent with no report for
 * {@code agentDownTime} seconds is down; its routers are rescheduled to the
 * alive agents ({@code router_removed_from_agent} to it,
 * {@code router_added_to_agent} to the new host). Its next report is
 * answered {@code revived}, which makes it run a full sync.</li>
 * <li>{@code report_state} answers {@code new} for an agent never seen,
 * {@code revived} for one that was down, else {@code alive}.</li>
 * <li>The workload: {@code initialRouters} routers at start (not notified:
 * the agents' first full sync finds them), then {@code rate} changes per
 * second (10% create, 10% delete, 80% update of a random router, a create
 * when none is left); the same seed makes the same changes. Router ids are
 * never reused.</li>
 * </ul>
 *
 * <p>Thread rule: Hub-confined: the endpoints that call in must run on its hub.
 *
 * <p>Overview: {@code ids} lists the live routers in an order that depends
 * only on the seed (a delete swaps the last id into the hole), so random
 * picks are reproducible; {@code bindings} maps a router to its agent's
 * host, absent while it is unscheduled; {@code agents} is the agent table,
 * by host.
 */
public final class PluginSimulator {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSimulator.class);

    /** An agent as the plugin's agent table keeps it. */
    private static final class AgentRecord {
        final String host;
        double lastHeartbeat;
        boolean alive = true;
        long reports;

        AgentRecord(String host, double now) {
            this.host = host;
            this.lastHeartbeat = now;
        }
    }

    private final int initialRouters;
    private double agentDownTime;
    /** Sent (and replaced) when agentDownTime changes, so the liveness loop applies it at once. */
    private Event<Boolean> downTimeChanged = new Event<>();
    private final PluginFaults faults;
    private final Random random;
    private final RouterGenerator generator;
    private final Random faultRandom;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Router> routers = new HashMap<>();
    private final Map<String, String> bindings = new HashMap<>();
    /** How many routers each host has in {@code bindings}; kept with it by schedule and unbind. */
    private final Map<String, Integer> hosted = new HashMap<>();
    private final Map<String, AgentRecord> agents = new LinkedHashMap<>();
    private double rate;
    /** Sent (and replaced) when the rate changes, so the emitter's wait restarts at once. */
    private Event<Boolean> rateChanged = new Event<>();
    private L3AgentNotifier notifier;
    private GreenThread<Void> emitter;
    private GreenThread<Void> liveness;
    private Hub hub;
    private double startedAt;
    private long created;
    /** Router notifications from the agents, by event type. */
    private final Map<String, Long> notificationsReceived = new java.util.HashMap<>();
    private long updated;
    private long deleted;
    private long rescheduled;
    private long reportsReceived;
    private long callsServed;
    private long repliesDropped;
    private long routersMalformed;

    /**
     * A plugin that will hold {@code initialRouters} routers, make
     * {@code rate} changes per second, declare an agent down after
     * {@code agentDownTime} seconds without a report, and misbehave as
     * {@code faults} says.
     */
    public PluginSimulator(int initialRouters, double rate, long seed, double agentDownTime, PluginFaults faults,
            WallClock wallClock) {
        if (initialRouters < 0) {
            throw new IllegalArgumentException("routers = " + initialRouters + " is not valid: must be >= 0");
        }
        if (!(agentDownTime > 0)) {
            throw new IllegalArgumentException("agent_down_time = " + agentDownTime + " is not valid: must be > 0");
        }
        this.initialRouters = initialRouters;
        this.rate = checkRate(rate);
        this.agentDownTime = agentDownTime;
        this.faults = faults;
        this.random = new Random(seed);
        this.generator = new RouterGenerator(random, wallClock);
        this.faultRandom = new Random(seed ^ 0x5DEECE66DL);
    }

    private static double checkRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("update_rate = " + rate + " is not valid: must be >= 0 and finite");
        }
        return rate;
    }

    /** Where the casts to agents go; set before {@link #start()}. */
    public void connect(L3AgentNotifier notifier) {
        this.notifier = notifier;
    }

    /** Creates the initial routers and starts the workload and the liveness check; returns at once. */
    public void start() {
        if (notifier == null) {
            throw new IllegalStateException("PluginSimulator.start() before connect(notifier)");
        }
        hub = Hub.get();
        startedAt = hub.clock();
        for (int i = 0; i < initialRouters; i++) {
            Router r = generator.newRouter();
            ids.add(r.id());
            routers.put(r.id(), r);
        }
        emitter = Eventlet.spawn(this::emitLoop);
        liveness = Eventlet.spawn(this::livenessLoop);
        LOG.info("plugin simulator started: {} routers, {} changes/s, agent_down_time {} s{}", initialRouters, rate,
                agentDownTime, faults.any() ? ", faults " + faults : "");
    }

    /** Stops the workload (changes and their casts); idempotent. The plugin keeps answering calls. */
    public void stopWorkload() {
        if (emitter != null) {
            emitter.kill();
            emitter = null;
            LOG.info("plugin simulator: workload stopped after {} changes", changes());
        }
    }

    /** Stops the workload and the liveness check; idempotent. */
    public void stop() {
        stopWorkload();
        if (liveness != null) {
            liveness.kill();
            liveness = null;
        }
    }

    /** Changes the rate of changes per second, effective at once; 0 pauses them. */
    public void setUpdateRate(double newRate) {
        rate = checkRate(newRate);
        Event<Boolean> old = rateChanged;
        rateChanged = new Event<>();
        old.send(Boolean.TRUE);
        LOG.info("plugin simulator: {} changes/s from now on", newRate);
    }

    // ---- the workload -------------------------------------------------------------------------

    private void emitLoop() {
        while (true) {
            Event<Boolean> changed = rateChanged;
            double interval = rate > 0 ? 1.0 / rate : Double.POSITIVE_INFINITY;
            if (changed.await(interval) == null && !silent()) {
                changeOne();
            }
        }
    }

    /** Makes one random change, commits it and casts it to the hosting agent. */
    void changeOne() {
        double roll = random.nextDouble();
        if (ids.isEmpty() || roll < 0.1) {
            Router r = generator.newRouter();
            ids.add(r.id());
            routers.put(r.id(), r);
            created++;
            String host = schedule(r.id());
            if (host != null) {
                notifier.routerAddedToAgent(host, List.of(r.id()));
            }
        } else if (roll < 0.2) {
            int i = random.nextInt(ids.size());
            String id = ids.get(i);
            ids.set(i, ids.getLast());
            ids.removeLast();
            routers.remove(id);
            deleted++;
            String host = unbind(id);
            if (host != null) {
                notifier.routerDeleted(host, id);
            }
        } else {
            String id = ids.get(random.nextInt(ids.size()));
            routers.put(id, generator.changed(routers.get(id)));
            updated++;
            String host = bindings.get(id);
            if (host != null) {
                notifier.routersUpdated(host, List.of(id));
            }
        }
    }

    // ---- scheduling and liveness --------------------------------------------------------------

    /** Binds the router to the alive agent with the fewest routers; null (unscheduled) if none is alive. */
    private String schedule(String routerId) {
        String best = null;
        for (AgentRecord a : agents.values()) {
            if (a.alive && (best == null || hosted.getOrDefault(a.host, 0) < hosted.getOrDefault(best, 0))) {
                best = a.host;
            }
        }
        if (best == null) {
            unbind(routerId);
            return null;
        }
        String old = bindings.put(routerId, best);
        if (old != null) {
            hosted.merge(old, -1, Integer::sum);
        }
        hosted.merge(best, 1, Integer::sum);
        return best;
    }

    /** Unschedules the router; returns the host it had, or null. */
    private String unbind(String routerId) {
        String old = bindings.remove(routerId);
        if (old != null) {
            hosted.merge(old, -1, Integer::sum);
        }
        return old;
    }

    /** Schedules every router that has no agent; casts router_added_to_agent to each chosen host. */
    private void scheduleUnscheduled() {
        Map<String, List<String>> added = new LinkedHashMap<>();
        for (String id : ids) {
            if (!bindings.containsKey(id)) {
                String host = schedule(id);
                if (host == null) {
                    break;
                }
                added.computeIfAbsent(host, h -> new ArrayList<>()).add(id);
            }
        }
        if (!added.isEmpty()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            added.forEach((host, list) -> counts.put(host, list.size()));
            LOG.info("scheduled the routers waiting for an agent: {}", counts);
        }
        added.forEach((host, list) -> notifier.routerAddedToAgent(host, list));
    }

    /** Checks every agent's last report every half {@code agentDownTime} (at once after a change of it). */
    private void livenessLoop() {
        while (true) {
            downTimeChanged.await(agentDownTime / 2);
            checkLiveness();
        }
    }

    /**
     * Sets {@code agent_down_time} (a SIGHUP reload): from now on an agent is
     * down after {@code seconds} without a report. Hub-confined.
     *
     * @throws IllegalArgumentException unless {@code seconds > 0}
     */
    public void setAgentDownTime(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("agent_down_time = " + seconds + " is not valid: must be > 0");
        }
        agentDownTime = seconds;
        Event<Boolean> old = downTimeChanged;
        downTimeChanged = new Event<>();
        old.send(Boolean.TRUE);
        LOG.info("plugin simulator: agent_down_time is {} s from now on", seconds);
    }

    /** Declares down the agents silent for {@code agentDownTime} and reschedules their routers. */
    void checkLiveness() {
        double now = hub.clock();
        for (AgentRecord a : agents.values()) {
            if (a.alive && now - a.lastHeartbeat > agentDownTime) {
                a.alive = false;
                List<String> orphans = new ArrayList<>();
                bindings.forEach((id, host) -> {
                    if (host.equals(a.host)) {
                        orphans.add(id);
                    }
                });
                Collections.sort(orphans);
                LOG.warn("agent {} is down: no report for {} s (agent_down_time {} s); rescheduling its {} routers",
                        a.host, String.format("%.1f", now - a.lastHeartbeat), agentDownTime, orphans.size());
                for (String id : orphans) {
                    unbind(id);
                    notifier.routerRemovedFromAgent(a.host, id);
                    String host = schedule(id);
                    rescheduled++;
                    if (host != null) {
                        notifier.routerAddedToAgent(host, List.of(id));
                    }
                }
            }
        }
    }

    // ---- what the agents call (the endpoints hand these in) -----------------------------------

    /** {@code get_router_ids(host)}: the routers scheduled to {@code host}, sorted. */
    public List<String> getRouterIds(String host) {
        misbehave("get_router_ids");
        List<String> out = new ArrayList<>();
        bindings.forEach((id, h) -> {
            if (h.equals(host)) {
                out.add(id);
            }
        });
        Collections.sort(out);
        return out;
    }

    /**
     * {@code sync_routers(host, router_ids)}: the routers among
     * {@code routerIds} (all when null) scheduled to {@code host}, as router
     * dicts; with faults on, some come out malformed.
     */
    public List<Map<String, Object>> syncRouters(String host, List<String> routerIds) {
        misbehave("sync_routers");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : routerIds == null ? getRouterIdsNow(host) : routerIds) {
            if (host.equals(bindings.get(id))) {
                Map<String, Object> wire = routers.get(id).toWire();
                if (faults.malformedPercent() > 0 && faultRandom.nextDouble() * 100 < faults.malformedPercent()) {
                    routersMalformed++;
                    wire.put("_interfaces", "not-a-list");
                }
                out.add(wire);
            }
        }
        return out;
    }

    private List<String> getRouterIdsNow(String host) {
        List<String> out = new ArrayList<>();
        bindings.forEach((id, h) -> {
            if (h.equals(host)) {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * {@code report_state(agent_state)}: records the agent's heartbeat and
     * answers {@code new}, {@code alive} or {@code revived}; unless it is
     * the agent's first report, the routers waiting for an agent are
     * scheduled, each to the least-loaded alive agent.
     */
    public String reportState(Map<String, Object> agentState) {
        misbehave("report_state");
        Object hostValue = agentState.get("host");
        if (!(hostValue instanceof String host) || host.isEmpty()) {
            throw new IllegalArgumentException("report_state agent_state.host = " + hostValue
                    + " is not valid: expected the agent's host name");
        }
        reportsReceived++;
        double now = hub.clock();
        AgentRecord a = agents.get(host);
        String status;
        if (a == null) {
            a = new AgentRecord(host, now);
            agents.put(host, a);
            status = "new";
            LOG.info("agent {} registered", host);
        } else if (!a.alive) {
            a.alive = true;
            status = "revived";
            LOG.info("agent {} revived", host);
        } else {
            status = "alive";
        }
        a.lastHeartbeat = now;
        a.reports++;
        if (!"new".equals(status) && unscheduled() > 0) {
            // Not on an agent's first report: agents started together have all registered by
            // their second one, so the routers waiting are spread over all of them.
            scheduleUnscheduled();
        }
        return status;
    }

    /** Applies the faults to one call: silence, a dropped (held) reply, a delay. */
    private void misbehave(String method) {
        callsServed++;
        if (silent()) {
            double end = startedAt + faults.silentAfter() + faults.silentFor();
            Eventlet.sleep(Math.max(0, end - hub.clock()));
        }
        if (faults.dropReplyPercent() > 0 && faultRandom.nextDouble() * 100 < faults.dropReplyPercent()) {
            repliesDropped++;
            LOG.debug("dropping the reply to {}", method);
            Eventlet.sleep(faults.replyHold());
        }
        if (faults.replyDelay() > 0) {
            Eventlet.sleep(faults.replyDelay());
        }
    }

    /** True while the configured silence lasts. */
    boolean silent() {
        if (faults.silentFor() <= 0 || faults.silentAfter() <= 0 || hub == null) {
            return false;
        }
        double t = hub.clock() - startedAt;
        return t >= faults.silentAfter() && t < faults.silentAfter() + faults.silentFor();
    }

    // ---- observation --------------------------------------------------------------------------

    /** The routers scheduled to {@code host} now, by id, with their revision. */
    public Map<String, Long> scheduled(String host) {
        Map<String, Long> out = new TreeMap<>();
        bindings.forEach((id, h) -> {
            if (h.equals(host)) {
                out.put(id, routers.get(id).revisionNumber());
            }
        });
        return out;
    }

    /** The hosts of the agents seen so far, in order of first report. */
    public Set<String> hosts() {
        return new LinkedHashSet<>(agents.keySet());
    }

    /** True if {@code host} reported within {@code agentDownTime} (as of the last liveness check). */
    public boolean isAlive(String host) {
        AgentRecord a = agents.get(host);
        return a != null && a.alive;
    }

    /** Routers in the database now. */
    public int routerCount() {
        return routers.size();
    }

    /** Routers in the database that no agent hosts. */
    public int unscheduled() {
        return routers.size() - bindings.size();
    }

    /** Routers created since start (not counting the initial ones). */
    public long created() {
        return created;
    }

    /** Router updates made since start. */
    public long updated() {
        return updated;
    }

    /** Routers deleted since start. */
    public long deleted() {
        return deleted;
    }

    /** Changes made since start. */
    public long changes() {
        return created + updated + deleted;
    }

    /** Routers moved off an agent that went down. */
    public long rescheduled() {
        return rescheduled;
    }

    /** State reports received. */
    public long reportsReceived() {
        return reportsReceived;
    }

    /** Replies held back on purpose. */
    public long repliesDropped() {
        return repliesDropped;
    }

    /** Routers sent malformed on purpose. */
    public long routersMalformed() {
        return routersMalformed;
    }

    /** The plugin's counters and schedule as JSON-shaped values: what the demo's status call returns. */
    /** The router notifications received from the agents, by event type (a copy). */
    public Map<String, Long> notificationsReceived() {
        return new java.util.TreeMap<>(notificationsReceived);
    }

    /** Counts one router notification of {@code eventType} from an agent. */
    public void notificationReceived(String eventType) {
        notificationsReceived.merge(String.valueOf(eventType), 1L, Long::sum);
    }

    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("notifications_received", new java.util.TreeMap<>(notificationsReceived));
        s.put("routers", routers.size());
        s.put("unscheduled", unscheduled());
        s.put("created", created);
        s.put("updated", updated);
        s.put("deleted", deleted);
        s.put("rescheduled", rescheduled);
        s.put("reports_received", reportsReceived);
        s.put("calls_served", callsServed);
        s.put("replies_dropped", repliesDropped);
        s.put("routers_malformed", routersMalformed);
        Map<String, Object> perHost = new LinkedHashMap<>();
        for (String host : agents.keySet()) {
            perHost.put(host, Map.of("alive", isAlive(host), "routers", scheduled(host)));
        }
        s.put("agents", perHost);
        return s;
    }
}

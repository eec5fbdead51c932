package io.jeventlet.sample.l3;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for Neutron's L3 service plugin: it holds routers, changes them
 * at a steady rate from a green thread, notifies the agent of each change,
 * answers the agent's calls ({@link PluginApi}) and keeps the last state
 * report.
 *
 * <p>Guarantees: {@link #start()} creates {@code routers} routers
 * ({@code router-1} ...) without notifying (the agent's first resync finds
 * them); from then on every change (10% create, 10% delete, 80% update of a
 * random router; create when none is left) is applied first and notified
 * after, so data fetched after a notification is at least as new as it. The
 * same seed makes the same sequence of changes. Router ids are never reused.
 * {@link #setUpdateRate(double)} takes effect at once: the wait for the next
 * change restarts at the new rate.
 *
 * <p>Thread rule: Hub-confined.
 *
 * <p>Overview: {@code ids} lists the live routers in an order that depends
 * only on the seed (a delete swaps the last id into the hole), so random
 * picks are reproducible; {@code routers} maps each id to its current data.
 */
public final class PluginSimulator implements PluginApi {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSimulator.class);

    private final int initialRouters;
    private double updateRate;
    /** Sent (and replaced) when the rate changes, so the emitter's wait restarts at once. */
    private Event<Boolean> rateChanged = new Event<>();
    private final Random random;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Router> routers = new HashMap<>();
    private AgentNotifications agent;
    private GreenThread<Void> emitter;
    private long nextId;
    private long created;
    private long updated;
    private long deleted;
    private long reportsReceived;
    private AgentState lastReport;

    /** A plugin that will hold {@code routers} routers and make {@code updateRate} changes per second. */
    public PluginSimulator(int routers, double updateRate, long seed) {
        if (routers < 0) {
            throw new IllegalArgumentException("routers = " + routers + " is not valid: must be >= 0");
        }
        this.initialRouters = routers;
        this.updateRate = checkRate(updateRate);
        this.random = new Random(seed);
    }

    /** Where change notifications go; set before {@link #start()}. */
    public void connect(AgentNotifications agent) {
        this.agent = agent;
    }

    private static double checkRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("updateRate = " + rate + " is not valid: must be >= 0 and finite");
        }
        return rate;
    }

    /** Creates the initial routers and starts the green thread that changes them (idle while the rate is 0). */
    public void start() {
        if (agent == null) {
            throw new IllegalStateException("PluginSimulator.start() before connect(agent)");
        }
        for (int i = 0; i < initialRouters; i++) {
            add(newRouter());
        }
        emitter = Eventlet.spawn(this::emitLoop);
        LOG.info("plugin simulator started: {} routers, {} changes/s", initialRouters, updateRate);
    }

    /**
     * Changes the rate of changes per second, effective at once; 0 pauses
     * them. No effect after {@link #stopUpdates()}.
     */
    public void setUpdateRate(double rate) {
        updateRate = checkRate(rate);
        Event<Boolean> old = rateChanged;
        rateChanged = new Event<>();
        old.send(Boolean.TRUE);
        LOG.info("plugin simulator: {} changes/s from now on", rate);
    }

    /** The current rate of changes per second. */
    public double updateRate() {
        return updateRate;
    }

    /** Stops making changes (kills the emitter green thread); idempotent. */
    public void stopUpdates() {
        if (emitter != null) {
            emitter.kill();
            emitter = null;
        }
    }

    /** Runs until stopUpdates() kills it. */
    private void emitLoop() {
        while (true) {
            Event<Boolean> changed = rateChanged;
            double interval = updateRate > 0 ? 1.0 / updateRate : Double.POSITIVE_INFINITY;
            if (changed.await(interval) == null) {
                changeOne();
            }
        }
    }

    /** Makes one random change and notifies the agent of it. */
    void changeOne() {
        double roll = random.nextDouble();
        if (ids.isEmpty() || roll < 0.1) {
            Router r = newRouter();
            add(r);
            created++;
            agent.routersUpdated(List.of(r.id()));
        } else if (roll < 0.2) {
            int i = random.nextInt(ids.size());
            String id = ids.get(i);
            ids.set(i, ids.getLast());
            ids.removeLast();
            routers.remove(id);
            deleted++;
            agent.routerDeleted(id);
        } else {
            String id = ids.get(random.nextInt(ids.size()));
            routers.put(id, routers.get(id).nextRevision());
            updated++;
            agent.routersUpdated(List.of(id));
        }
    }

    private Router newRouter() {
        return new Router("router-" + (++nextId), 1);
    }

    private void add(Router r) {
        ids.add(r.id());
        routers.put(r.id(), r);
    }

    // ---- PluginApi ----------------------------------------------------------------------------

    @Override
    public List<String> getRouterIds() {
        return List.copyOf(ids);
    }

    @Override
    public List<Router> getRouters(List<String> wanted) {
        List<Router> found = new ArrayList<>(wanted.size());
        for (String id : wanted) {
            Router r = routers.get(id);
            if (r != null) {
                found.add(r);
            }
        }
        return found;
    }

    @Override
    public void reportState(AgentState state) {
        reportsReceived++;
        lastReport = state;
    }

    // ---- observation --------------------------------------------------------------------------

    /** The routers the plugin holds now, by id. */
    public Map<String, Router> routers() {
        return Collections.unmodifiableMap(new TreeMap<>(routers));
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

    /** Changes notified since start. */
    public long changes() {
        return created + updated + deleted;
    }

    /** State reports received. */
    public long reportsReceived() {
        return reportsReceived;
    }

    /** The last state report received, or null before the first. */
    public AgentState lastReport() {
        return lastReport;
    }
}

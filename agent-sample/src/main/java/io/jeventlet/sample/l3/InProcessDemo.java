package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.hubs.Hub;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent and the plugin simulator deployed in one process, on one hub,
 * wired through an {@link InProcessTransport}: what {@link L3AgentMain} runs,
 * and what the tests drive.
 *
 * <p>Guarantees: {@link #start()} starts the transport, then the agent, then
 * the plugin (so no notification reaches an agent that is not running);
 * {@link #stop(double)} stops the plugin's changes first, lets the agent
 * finish the work already sent (up to a bound), then stops the agent and the
 * transport, and returns the run's {@link DemoSummary}.
 *
 * <p>Thread rule: Hub-confined.
 */
public final class InProcessDemo {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessDemo.class);

    /** Seconds of hub time between two checks of whether the agent drained. */
    static final double DRAIN_POLL = 0.01;

    private final InProcessTransport transport = new InProcessTransport();
    private final PluginSimulator plugin;
    private final L3Agent agent;
    private double startedAt;

    /** A deployment of an agent with {@code settings} and a plugin simulator with the given load. */
    public InProcessDemo(AgentSettings settings, int routers, double updateRate, long seed) {
        this(settings, routers, updateRate, seed, UnaryOperator.identity());
    }

    /**
     * As above, with the agent's calls reaching the simulator through
     * {@code boundary} (applied once to the simulator), where a test can
     * inject faults or delays at the agent/plugin boundary.
     */
    public InProcessDemo(AgentSettings settings, int routers, double updateRate, long seed,
            UnaryOperator<PluginApi> boundary) {
        this.plugin = new PluginSimulator(routers, updateRate, seed);
        this.agent = new L3Agent(settings, transport.pluginApi(boundary.apply(plugin)));
    }

    /** Starts the transport, the agent and the plugin's changes; returns at once. */
    public void start() {
        startedAt = Hub.get().clock();
        transport.start();
        plugin.connect(transport.agentNotifications(agent));
        agent.afterStart();
        plugin.start();
    }

    /**
     * Stops the plugin's changes, waits up to {@code drainSeconds} for the
     * agent to finish everything already notified, stops the agent and the
     * transport, and summarises the run.
     */
    public DemoSummary stop(double drainSeconds) {
        double stoppedAt = Hub.get().clock();
        plugin.stopUpdates();
        boolean drained = awaitDrained(drainSeconds);
        if (!drained) {
            LOG.warn("the agent did not finish its queued work within {} s of the stop", drainSeconds);
        }
        agent.stop();
        transport.stop();
        boolean inSync = agent.routers().equals(plugin.routers());
        return new DemoSummary(stoppedAt - startedAt, agent.settings().workers(), plugin.routers().size(),
                agent.routers().size(), plugin.changes(), plugin.created(), plugin.updated(), plugin.deleted(),
                agent.state(), agent.stats().workerLimitViolations(), plugin.reportsReceived(), agent.resyncs(),
                drained, inSync);
    }

    /**
     * Waits until no request is in flight on the transport and the agent is
     * idle, checking every {@link #DRAIN_POLL} seconds of hub time; false if
     * {@code timeoutSeconds} passed first.
     */
    public boolean awaitDrained(double timeoutSeconds) {
        Hub hub = Hub.get();
        double deadline = hub.clock() + timeoutSeconds;
        while (!(transport.inFlight() == 0 && agent.idle())) {
            if (hub.clock() >= deadline) {
                return false;
            }
            Eventlet.sleep(DRAIN_POLL);
        }
        return true;
    }

    /** The agent. */
    public L3Agent agent() {
        return agent;
    }

    /** The plugin simulator. */
    public PluginSimulator plugin() {
        return plugin;
    }
}

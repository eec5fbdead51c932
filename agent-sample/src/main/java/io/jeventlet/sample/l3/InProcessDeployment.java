package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.NotifyOpts;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin simulator and N agents in one JVM on one hub, talking over an
 * {@code inproc://} bus exactly as the separate processes talk over
 * {@code zmq://}: what {@code bin/demo --in-process} runs, and what the
 * tests drive on a virtual-clock hub (where an hour runs in seconds).
 *
 * <p>Guarantees: {@link #start()} starts the plugin's servers and workload,
 * then each agent (hosts {@code agent-1} ... {@code agent-N}); {@link #close()}
 * stops the agents, then the plugin, then closes the transport.
 *
 * <p>Thread rule: Hub-confined: every service runs on the hub that calls {@link #start()}.
 */
public final class InProcessDeployment implements AutoCloseable {
    private final Transport transport;
    private final PluginSimulatorService plugin;
    private final List<L3AgentService> agents = new ArrayList<>();

    /**
     * A deployment on bus {@code inproc://busName} whose calls time out after
     * {@code responseTimeout} seconds; agents are configured as {@code agentTemplate}
     * with their own host names.
     */
    public InProcessDeployment(String busName, int agentCount, L3AgentConfig agentTemplate, PluginSimulator simulator,
            double responseTimeout, boolean offloadToTpool, WallClock wallClock) {
        if (agentCount < 1) {
            throw new IllegalArgumentException("agents = " + agentCount + " is not valid: must be >= 1");
        }
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, "inproc://" + busName)
                .override(RpcOpts.RESPONSE_TIMEOUT, responseTimeout)
                .override(NotifyOpts.DRIVER, List.of("messagingv2")).load();
        this.transport = Transport.create(conf);
        this.plugin = new PluginSimulatorService(transport, simulator);
        for (int i = 1; i <= agentCount; i++) {
            L3AgentConfig c = new L3AgentConfig("agent-" + i, agentTemplate.reportInterval(),
                    agentTemplate.periodicInterval(), agentTemplate.periodicFuzzyDelay(),
                    agentTemplate.operationLatency());
            agents.add(new L3AgentService(transport, c, new RouterDriver(c.operationLatency(), offloadToTpool),
                    wallClock));
        }
    }

    /** Starts the plugin, then the agents; returns once all of them serve. */
    public void start() {
        plugin.start();
        for (L3AgentService a : agents) {
            a.start();
        }
    }

    /** Stops the agents, then the plugin, and closes the transport; idempotent. */
    @Override
    public void close() {
        for (L3AgentService a : agents) {
            a.stop(true);
        }
        plugin.stop(true);
        transport.close();
    }

    /**
     * Stops agent {@code host} (as if its process ended) and starts a new one
     * under the same name on the same host model, as a restarted agent.
     * Returns the new service, not started when {@code start} is false.
     */
    public L3AgentService replaceAgent(String host, boolean start) {
        for (int i = 0; i < agents.size(); i++) {
            L3AgentService old = agents.get(i);
            if (old.agent().config().host().equals(host)) {
                old.stop(true);
                L3AgentService fresh = new L3AgentService(transport, old.agent().config(), old.agent().driver(),
                        old.agent().wallClock());
                agents.set(i, fresh);
                if (start) {
                    fresh.start();
                }
                return fresh;
            }
        }
        throw new IllegalArgumentException("host = '" + host + "' is not valid: no agent of that name in " + hosts());
    }

    /** The agents' hosts, in order. */
    public List<String> hosts() {
        return agents.stream().map(a -> a.agent().config().host()).toList();
    }

    /** The agents' services. */
    public List<L3AgentService> agents() {
        return List.copyOf(agents);
    }

    /** The plugin's service. */
    public PluginSimulatorService plugin() {
        return plugin;
    }

    /** The transport every service shares. */
    public Transport transport() {
        return transport;
    }
}

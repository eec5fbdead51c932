package io.jeventlet.sample.l3;

import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.Notifier;
import io.jeventlet.service.Service;
import java.util.List;

/**
 * The L3 agent as a service, in the shape of Neutron's {@code Service.start}:
 * it creates the RPC consumer on topic {@value L3AgentEndpoint#TOPIC} with
 * {@code server = host} (plus the topic's fanout) and the agent as endpoint,
 * then calls the agent's {@code after_start}, which spawns the processing
 * loop. The agent emits router notifications ({@link RouterNotifications})
 * when the transport's {@code notifications.driver} names a driver. Stopping takes no new notifications, answers those taken, then
 * stops the agent.
 *
 * <p>Thread rule: Hub-confined: {@link #start()} and {@link #stop} on the
 * hub the agent runs on (a {@code ServiceLauncher} calls them there).
 */
public final class L3AgentService extends Service {
    private final Transport transport;
    private final L3Agent agent;
    private RpcServer server;

    /**
     * A service for an agent configured by {@code config}, talking over
     * {@code transport} and applying routers with {@code driver} (a restarted
     * agent may be given the driver, that is the host, of its previous run).
     */
    public L3AgentService(Transport transport, L3AgentConfig config, RouterDriver driver, WallClock wallClock) {
        this.transport = transport;
        this.agent = new L3Agent(config, new L3PluginRpcApi(transport, config.host()), driver, wallClock,
                new RouterNotifications(new Notifier(transport, "network." + config.host()), config.host()));
    }

    /** Starts consuming notifications, then the agent's loops; returns once both run. */
    @Override
    public void start() {
        server = new RpcServer(transport, new Target(L3AgentEndpoint.TOPIC).withServer(agent.config().host()),
                List.of(new L3AgentEndpoint(agent), new DemoStatusEndpoint(agent)));
        server.start();
        agent.afterStart();
    }

    /** Stops consuming, answers what was taken, then stops the agent (see {@link L3Agent#stop()}). */
    @Override
    public void stop(boolean graceful) {
        if (server != null) {
            server.stop();
            server.await();
        }
        agent.stop();
        super.stop(graceful);
    }

    /** The agent. */
    public L3Agent agent() {
        return agent;
    }
}

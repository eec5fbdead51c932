package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's and the plugin's RPC endpoints under Neutron's wire names, and what bad requests get. */
class EndpointsTest {
    private static final L3AgentConfig AGENT = new L3AgentConfig("template", 1000, 1000, 0, 0);

    private static InProcessDeployment deploy(String bus) {
        PluginSimulator plugin = new PluginSimulator(0, 0, 1, 75, PluginFaults.NONE, WallClock.of(Hub.get()));
        InProcessDeployment d = new InProcessDeployment(bus, 1, AGENT, plugin, 5, false, WallClock.of(Hub.get()));
        d.start();
        return d;
    }

    /**
     * The casts Neutron's plugin sends, with its argument names, reach the
     * agent: routers_updated, router_added_to_agent, router_removed_from_agent
     * and router_deleted queue work, agent_updated makes a full sync due.
     */
    @Test
    void neutronCastsReachTheAgent() throws Exception {
        VirtualHubs.on(() -> {
            try (InProcessDeployment d = deploy("casts")) {
                L3Agent agent = d.agents().getFirst().agent();
                RpcClient toAgent = new RpcClient(d.transport(), new Target(L3AgentEndpoint.TOPIC).withServer("agent-1"));
                Eventlet.sleep(1);
                long before = agent.queue().added();
                toAgent.cast(Context.empty(), "routers_updated", Map.of("routers", List.of("a", "b")));
                toAgent.cast(Context.empty(), "router_added_to_agent", Map.of("payload", List.of("c")));
                toAgent.cast(Context.empty(), "router_removed_from_agent", Map.of("payload", Map.of("router_id", "c")));
                toAgent.cast(Context.empty(), "router_deleted", Map.of("router_id", "a"));
                Eventlet.sleep(1);
                assertEquals(before + 5, agent.queue().added());
                toAgent.withFanout(true).cast(Context.empty(), "agent_updated", Map.of("payload", Map.of()));
                Eventlet.sleep(0.1);
                assertTrue(agent.fullSyncPending(), "agent_updated by fanout did not make a full sync due");
            }
        });
    }

    /**
     * A request with a missing or malformed argument fails with a RemoteError
     * that names it, an unknown method with NoSuchMethod, and the agent goes
     * on serving.
     */
    @Test
    void badRequestsAreRefusedByNameAndTheAgentGoesOn() throws Exception {
        VirtualHubs.on(() -> {
            try (InProcessDeployment d = deploy("bad")) {
                RpcClient toAgent = new RpcClient(d.transport(), new Target(L3AgentEndpoint.TOPIC).withServer("agent-1"))
                        .withTimeout(5);
                RemoteError e = assertThrows(RemoteError.class, () -> toAgent.call(Context.empty(),
                        "router_removed_from_agent", Map.of("payload", Map.of("id", "x"))));
                assertTrue(e.value().contains("payload.router_id"), e.value());
                RemoteError missing = assertThrows(RemoteError.class,
                        () -> toAgent.call(Context.empty(), "router_deleted", Map.of()));
                assertTrue(missing.value().contains("router_id"), missing.value());
                RemoteError unknown = assertThrows(RemoteError.class,
                        () -> toAgent.call(Context.empty(), "delete_everything", Map.of()));
                assertEquals("NoSuchMethod", unknown.excType());
                RpcClient demo = new RpcClient(d.transport(), new Target(L3AgentEndpoint.TOPIC).withServer("agent-1")
                        .withNamespace(DemoStatusEndpoint.NAMESPACE)).withTimeout(5);
                Map<?, ?> status = (Map<?, ?>) demo.call(Context.empty(), "demo_status", Map.of());
                assertEquals("agent-1", status.get("host"));
            }
        });
    }

    /** The plugin answers get_router_ids and sync_routers for a host, and refuses a call without a host by name. */
    @Test
    void pluginServesTheAgentsCalls() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator plugin = new PluginSimulator(4, 0, 1, 75, PluginFaults.NONE, WallClock.of(Hub.get()));
            try (InProcessDeployment d = new InProcessDeployment("plugin", 1, AGENT, plugin, 5, false,
                    WallClock.of(Hub.get()))) {
                d.start();
                Eventlet.sleep(1);
                L3PluginApi api = new L3PluginRpcApi(d.transport(), "agent-1");
                assertEquals("alive", api.reportState(Context.empty(), Map.of("host", "agent-1"), 5));
                List<String> ids = api.getRouterIds(Context.empty());
                assertEquals(4, ids.size());
                List<Object> routers = api.getRouters(Context.empty(), ids);
                assertEquals(ids, routers.stream().map(r -> Router.fromWire(r).id()).toList());
                RpcClient raw = new RpcClient(d.transport(), new Target(L3PluginEndpoint.TOPIC)).withTimeout(5);
                RemoteError e = assertThrows(RemoteError.class,
                        () -> raw.call(Context.empty(), "get_router_ids", Map.of("host", "")));
                assertTrue(e.value().contains("host"), e.value());
            }
        });
    }
}

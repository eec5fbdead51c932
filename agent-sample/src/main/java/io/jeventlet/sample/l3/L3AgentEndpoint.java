package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcArg;
import io.jeventlet.rpc.RpcEndpoint;
import java.util.List;
import java.util.Map;

/**
 * The agent's RPC endpoint on topic {@value #TOPIC} (server = the agent's
 * host, plus the topic's fanout): Neutron's {@code L3NATAgent} notification
 * methods under their wire names ({@code routers_updated},
 * {@code router_deleted}, {@code router_added_to_agent},
 * {@code router_removed_from_agent}, {@code agent_updated}). Each only queues
 * work on the {@link L3Agent} and returns: a cast never waits for a router
 * to be applied.
 *
 * <p>Thread rule: Hub-confined (the agent's hub): the RPC server that
 * dispatches to it must run on that hub.
 */
@RpcEndpoint(version = "1.4")
public final class L3AgentEndpoint {
    /** The agents' topic (Neutron's {@code topics.L3_AGENT}). */
    public static final String TOPIC = "l3_agent";

    private final L3Agent agent;

    /** An endpoint for {@code agent}. */
    public L3AgentEndpoint(L3Agent agent) {
        this.agent = agent;
    }

    /** Routers were created or changed: {@code routers} is a list of ids (or of router dicts). */
    public void routersUpdated(Context ctx, @RpcArg("routers") List<Object> routers) {
        agent.routersUpdated(routers);
    }

    /** A router was deleted. */
    public void routerDeleted(Context ctx, @RpcArg("router_id") String routerId) {
        agent.routerDeleted(routerId);
    }

    /** Routers were scheduled to this agent: {@code payload} is a list of router ids (Neutron's form). */
    public void routerAddedToAgent(Context ctx, @RpcArg("payload") List<Object> payload) {
        agent.routersUpdated(payload);
    }

    /** A router was unscheduled from this agent: {@code payload} is {@code {"router_id": id}}. */
    public void routerRemovedFromAgent(Context ctx, @RpcArg("payload") Map<String, Object> payload) {
        Object id = payload.get("router_id");
        if (!(id instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("router_removed_from_agent payload.router_id = " + id
                    + " is not valid: expected a router id");
        }
        agent.routerDeleted(s);
    }

    /** The plugin changed this agent (admin state, ...): a full sync follows. */
    public void agentUpdated(Context ctx, @RpcArg("payload") Map<String, Object> payload) {
        agent.agentUpdated(payload);
    }
}

package io.jeventlet.sample.l3;

import java.util.List;

/**
 * The casts the plugin sends to one agent (Neutron's {@code L3AgentNotifyAPI}
 * on topic {@code l3_agent}, server = the agent's host).
 * {@link L3AgentNotifyRpcApi} sends them over RPC.
 *
 * <p>Thread rule: each method returns without waiting for the agent (a
 * cast); a cast that cannot be sent is logged, never thrown, since the
 * agent's full sync repairs what it missed.
 */
public interface L3AgentNotifier {

    /** {@code routers_updated(routers)}: the routers were created or changed. */
    void routersUpdated(String host, List<String> routerIds);

    /** {@code router_deleted(router_id)}: the router was deleted. */
    void routerDeleted(String host, String routerId);

    /** {@code router_added_to_agent(payload=[ids])}: the routers were scheduled to the agent. */
    void routerAddedToAgent(String host, List<String> routerIds);

    /** {@code router_removed_from_agent(payload={router_id})}: the router was unscheduled from the agent. */
    void routerRemovedFromAgent(String host, String routerId);

    /** {@code agent_updated(payload)}: the agent's record changed; it should sync everything. */
    void agentUpdated(String host);
}

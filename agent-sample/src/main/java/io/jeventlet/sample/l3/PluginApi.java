package io.jeventlet.sample.l3;

import java.util.List;

/**
 * The calls the agent makes to the plugin (Neutron's {@code L3PluginApi}).
 * This is the agent/plugin boundary: in one process it is implemented by
 * {@link InProcessTransport}'s proxy over green queues, and an RPC client
 * can implement it over the network.
 *
 * <p>Thread rule: each method may block the calling green thread (it is a
 * remote call), never the hub; call it from a green thread.
 */
public interface PluginApi {

    /** The ids of every router the plugin holds now, in no particular order. */
    List<String> getRouterIds();

    /** The routers among {@code ids} that exist now; a deleted or unknown id is left out. */
    List<Router> getRouters(List<String> ids);

    /** Receives the agent's state report (Neutron's {@code report_state}). */
    void reportState(AgentState state);
}

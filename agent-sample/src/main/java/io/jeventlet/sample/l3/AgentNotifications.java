package io.jeventlet.sample.l3;

import java.util.List;

/**
 * The notifications the plugin sends to the agent (Neutron's
 * {@code L3AgentNotifyAPI} casts, received by the agent's RPC endpoint).
 * One-way: the sender never waits for the agent to process them.
 *
 * <p>Thread rule: an implementation must return without waiting for the
 * routers to be processed; {@link L3Agent}'s only queues an update.
 */
public interface AgentNotifications {

    /** The routers {@code ids} were created or changed. */
    void routersUpdated(List<String> ids);

    /** The router {@code id} was deleted. */
    void routerDeleted(String id);
}

package io.jeventlet.sample.l3;

/**
 * What the agent reports to the plugin at every state report (Neutron's
 * {@code agent_state} with its {@code configurations} counters).
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param host the agent's host name
 * @param uptime seconds of hub time since the agent started
 * @param routers routers the agent has configured now
 * @param updatesQueued updates queued since start (notified and resync)
 * @param updatesProcessed updates fetched and configured since start
 * @param updatesSuperseded updates dropped because newer data was already configured
 * @param queueDepth updates waiting in the queue now
 * @param activeWorkers workers processing a router now
 * @param maxConcurrentWorkers the most workers that were ever processing at once
 * @param concurrentRouterViolations times a router was found processed by two workers at once (must stay 0)
 * @param failures updates whose processing threw
 */
public record AgentState(String host, double uptime, int routers, long updatesQueued, long updatesProcessed,
        long updatesSuperseded, int queueDepth, int activeWorkers, int maxConcurrentWorkers,
        long concurrentRouterViolations, long failures) {
}

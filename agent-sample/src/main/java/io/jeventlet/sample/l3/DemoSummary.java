package io.jeventlet.sample.l3;

import java.util.List;

/**
 * The outcome of one demo run, as {@link L3AgentMain} prints it.
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param seconds hub time the run lasted, start to stop
 * @param workers the agent's worker limit
 * @param pluginRouters routers the plugin held at the end
 * @param agentRouters routers the agent had configured at the end
 * @param changes router changes the plugin notified (created + updated + deleted)
 * @param created routers created during the run
 * @param updated router updates made during the run
 * @param deleted routers deleted during the run
 * @param agent the agent's final state (its counters)
 * @param workerLimitViolations times more than {@code workers} routers were processed at once
 * @param reportsReceived state reports the plugin received
 * @param resyncs full resyncs the agent made
 * @param drained whether the agent finished all queued work before it was stopped
 * @param inSync whether the agent's routers equal the plugin's at the end
 */
public record DemoSummary(double seconds, int workers, int pluginRouters, int agentRouters, long changes,
        long created, long updated, long deleted, AgentState agent, long workerLimitViolations, long reportsReceived,
        long resyncs, boolean drained, boolean inSync) {

    /**
     * True when the invariants held: no router processed concurrently, never
     * more than {@code workers} at once, and, if the agent drained, its routers
     * equal the plugin's.
     */
    public boolean ok() {
        return agent.concurrentRouterViolations() == 0 && workerLimitViolations == 0
                && agent.maxConcurrentWorkers() <= workers && (!drained || inSync);
    }

    /** The summary as lines of text. */
    public List<String> lines() {
        return List.of(
                String.format(java.util.Locale.ROOT, "ran %.1f s with %d workers", seconds, workers),
                "plugin changes:      " + changes + " (" + created + " created, " + updated + " updated, " + deleted
                        + " deleted)",
                "updates queued:      " + agent.updatesQueued() + " (notified and resync)",
                "updates processed:   " + agent.updatesProcessed() + ", superseded: " + agent.updatesSuperseded()
                        + ", failed: " + agent.failures(),
                "resyncs: " + resyncs + ", state reports received by the plugin: " + reportsReceived,
                "max concurrent workers: " + agent.maxConcurrentWorkers() + " of " + workers
                        + " (over the limit: " + workerLimitViolations + " times)",
                "router processed concurrently: " + agent.concurrentRouterViolations() + " times",
                "routers: plugin " + pluginRouters + ", agent " + agentRouters + ", "
                        + (inSync ? "in sync" : "NOT in sync") + (drained ? "" : " (queue not drained at stop)"),
                ok() ? "invariants held" : "INVARIANTS BROKEN");
    }
}

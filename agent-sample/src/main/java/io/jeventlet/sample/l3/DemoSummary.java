package io.jeventlet.sample.l3;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one demo run, built from what the plugin and each agent
 * answered to the demo's status calls.
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param seconds how long the workload ran
 * @param created routers created during the run
 * @param updated router updates made during the run
 * @param deleted routers deleted during the run
 * @param agents one line per agent, in host order
 * @param latency the change-to-applied latencies of every agent, merged
 * @param reportsReceived state reports the plugin received
 * @param notifications the agents' router notifications the plugin received, by event type
 * @param faults what the plugin did wrong on purpose (replies dropped, routers malformed), or empty
 * @param disagreements for each agent whose routers differ from its schedule, what differs; empty when they agree
 */
public record DemoSummary(double seconds, long created, long updated, long deleted, List<AgentLine> agents,
        LatencyHistogram latency, long reportsReceived, Map<String, Long> notifications, String faults,
        List<String> disagreements) {

    /** What one agent did. */
    public record AgentLine(String host, long updatesProcessed, int routers, long fullSyncs, long dropped) {
    }

    /** True when every agent's routers equal what the plugin scheduled to it. */
    public boolean agreed() {
        return disagreements.isEmpty();
    }

    /** The summary as lines of text; the last one says whether the agents agree with the plugin. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "ran %.1f s with %d agents", seconds, agents.size()));
        out.add("routers created " + created + ", updated " + updated + ", deleted " + deleted);
        for (AgentLine a : agents) {
            out.add(String.format(Locale.ROOT, "  %-10s %6d updates processed, %4d routers, %d full syncs%s", a.host(),
                    a.updatesProcessed(), a.routers(), a.fullSyncs(),
                    a.dropped() > 0 ? ", " + a.dropped() + " updates dropped after their tries" : ""));
        }
        out.add(String.format(Locale.ROOT, "plugin change to agent applied: p50 %s, p99 %s (%d changes)",
                ms(latency.percentile(50)), ms(latency.percentile(99)), latency.count()));
        out.add("state reports received by the plugin: " + reportsReceived);
        long total = notifications.values().stream().mapToLong(Long::longValue).sum();
        out.add("router notifications received by the plugin: " + total + (total == 0 ? "" : " " + notifications));
        if (!faults.isEmpty()) {
            out.add("faults injected: " + faults);
        }
        if (agreed()) {
            out.add("agreement: every agent's routers equal what the plugin scheduled to it");
        } else {
            disagreements.forEach(d -> out.add("  " + d));
            out.add("DISAGREEMENT: " + disagreements.size() + " agent(s) differ from what the plugin scheduled to them");
        }
        return out;
    }

    private static String ms(double v) {
        return Double.isInfinite(v) ? "> 100 s" : String.format(Locale.ROOT, "%.0f ms", v);
    }

    /** What differs between an agent's routers and its schedule, or null when they are equal. */
    static String difference(String host, Map<String, Long> applied, Map<String, Long> scheduled) {
        if (applied.equals(scheduled)) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        scheduled.forEach((id, rev) -> {
            Long have = applied.get(id);
            if (have == null) {
                missing.add(id);
            } else if (!have.equals(rev)) {
                stale.add(id + " at " + have + " not " + rev);
            }
        });
        applied.keySet().stream().filter(id -> !scheduled.containsKey(id)).forEach(extra::add);
        return host + ": missing " + cut(missing) + ", not scheduled here " + cut(extra) + ", stale " + cut(stale);
    }

    private static String cut(List<String> l) {
        return l.size() <= 5 ? l.toString() : l.subList(0, 5) + " and " + (l.size() - 5) + " more";
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's coordinator: everything it learns, it learns over the bus,
 * with the demo-only calls in namespace {@value DemoStatusEndpoint#NAMESPACE}
 * ({@code demo_status} and {@code stop_workload} to the plugin on
 * {@value L3PluginEndpoint#TOPIC}, {@code demo_status} to each agent on
 * {@value L3AgentEndpoint#TOPIC} with its host as server). Every call has
 * a timeout.
 *
 * <p>Guarantees: {@link #finish} stops the workload, then waits (bounded)
 * until every agent is idle, has no full sync due and holds exactly the
 * routers the plugin scheduled to it, and summarises; an agent that does not
 * get there in time is reported with what differs.
 *
 * <p>Thread rule: call it from green threads of one hub; the transport may
 * be shared.
 */
public final class DemoRun {
    /** Seconds between two status polls while draining. */
    static final double POLL = 0.2;

    private final List<String> hosts;
    private final RpcClient plugin;
    private final RpcClient agents;

    /** A coordinator for the agents {@code hosts} on {@code transport}; each status call waits at most {@code callTimeout}. */
    public DemoRun(Transport transport, List<String> hosts, double callTimeout) {
        this.hosts = List.copyOf(hosts);
        this.plugin = new RpcClient(transport, new Target(L3PluginEndpoint.TOPIC)
                .withNamespace(DemoStatusEndpoint.NAMESPACE)).withTimeout(callTimeout);
        this.agents = new RpcClient(transport, new Target(L3AgentEndpoint.TOPIC)
                .withNamespace(DemoStatusEndpoint.NAMESPACE)).withTimeout(callTimeout);
    }

    /** The plugin's {@code demo_status}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> pluginStatus() {
        return (Map<String, Object>) plugin.call(Context.empty(), "demo_status", Map.of());
    }

    /** Agent {@code host}'s {@code demo_status}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> agentStatus(String host) {
        return (Map<String, Object>) agents.withServer(host).call(Context.empty(), "demo_status", Map.of());
    }

    /**
     * Waits until the plugin has heard every agent report and has scheduled
     * every router it holds; false after {@code seconds}.
     */
    public boolean awaitAgents(double seconds) {
        double deadline = Hub.get().clock() + seconds;
        while (true) {
            try {
                Map<String, Object> p = pluginStatus();
                Map<?, ?> known = (Map<?, ?>) p.get("agents");
                if (known.keySet().containsAll(hosts) && num(p, "unscheduled") == 0) {
                    return true;
                }
            } catch (MessagingException e) {
                // The plugin is not up yet: poll again.
            }
            if (Hub.get().clock() > deadline) {
                return false;
            }
            Eventlet.sleep(POLL);
        }
    }

    /** Starts the plugin's workload at {@code updateRate} changes per second. */
    public void startWorkload(double updateRate) {
        plugin.call(Context.empty(), "start_workload", Map.of("update_rate", updateRate));
    }

    /** One line of progress: the plugin's changes and reports, each agent's updates processed. */
    public String progress(double elapsed) {
        StringBuilder b = new StringBuilder();
        try {
            Map<String, Object> p = pluginStatus();
            b.append(String.format(Locale.ROOT, "%5.1f s  changes %d (%d created, %d updated, %d deleted)  reports %d |",
                    elapsed, num(p, "created") + num(p, "updated") + num(p, "deleted"), num(p, "created"),
                    num(p, "updated"), num(p, "deleted"), num(p, "reports_received")));
        } catch (MessagingException e) {
            b.append(String.format(Locale.ROOT, "%5.1f s  plugin: %s |", elapsed, e.getClass().getSimpleName()));
        }
        for (String host : hosts) {
            try {
                b.append(' ').append(host).append(' ').append(num(agentStatus(host), "updates_processed"));
            } catch (MessagingException e) {
                b.append(' ').append(host).append(" ?");
            }
        }
        return b.toString();
    }

    /**
     * Stops the workload, waits up to {@code drainSeconds} for every agent to
     * agree with the plugin, and summarises the run of {@code seconds}. A
     * plugin or agent that does not answer is reported in the summary's
     * disagreements, never thrown.
     */
    public DemoSummary finish(double seconds, double drainSeconds) {
        double deadline = Hub.get().clock() + drainSeconds;
        Map<String, Object> p = Map.of();
        Map<String, Map<String, Object>> statuses = new LinkedHashMap<>();
        List<String> differences = new ArrayList<>();
        boolean stopped = false;
        while (true) {
            statuses.clear();
            differences.clear();
            try {
                if (!stopped) {
                    plugin.call(Context.empty(), "stop_workload", Map.of());
                    stopped = true;
                }
                p = pluginStatus();
            } catch (MessagingException e) {
                // The plugin is silent or gone: what the agents hold cannot be checked against it.
                differences.add("plugin: no status (" + e.getMessage() + ")");
                if (Hub.get().clock() > deadline) {
                    break;
                }
                Eventlet.sleep(POLL);
                continue;
            }
            Map<?, ?> perHost = p.get("agents") instanceof Map<?, ?> m ? m : Map.of();
            for (String host : hosts) {
                Map<String, Long> scheduled = perHost.get(host) instanceof Map<?, ?> h
                        ? revisions(h.get("routers")) : Map.of();
                Map<String, Object> s;
                try {
                    s = agentStatus(host);
                } catch (MessagingException e) {
                    differences.add(host + ": no status (" + e.getMessage() + ")");
                    continue;
                }
                statuses.put(host, s);
                String d = DemoSummary.difference(host, revisions(s.get("routers")), scheduled);
                if (d != null) {
                    differences.add(d);
                } else if (!Boolean.TRUE.equals(s.get("idle")) || Boolean.TRUE.equals(s.get("fullsync"))) {
                    differences.add(host + ": still busy (queue not drained or a full sync due)");
                }
            }
            if (differences.isEmpty() || Hub.get().clock() > deadline) {
                break;
            }
            Eventlet.sleep(POLL);
        }
        LatencyHistogram latency = new LatencyHistogram();
        List<DemoSummary.AgentLine> lines = new ArrayList<>();
        statuses.forEach((host, s) -> {
            latency.merge(LatencyHistogram.fromWire(s.get("latency")));
            lines.add(new DemoSummary.AgentLine(host, num(s, "updates_processed"), revisions(s.get("routers")).size(),
                    num(s, "full_syncs"), num(s, "updates_dropped")));
        });
        String faults = num(p, "replies_dropped") + num(p, "routers_malformed") == 0 ? ""
                : num(p, "replies_dropped") + " replies dropped, " + num(p, "routers_malformed") + " routers malformed";
        return new DemoSummary(seconds, num(p, "created"), num(p, "updated"), num(p, "deleted"), lines, latency,
                num(p, "reports_received"), revisions(p.get("notifications_received")), faults,
                List.copyOf(differences));
    }

    private static long num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static Map<String, Long> revisions(Object wire) {
        Map<String, Long> out = new TreeMap<>();
        if (wire instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Number n ? n.longValue() : -1L));
        }
        return out;
    }
}

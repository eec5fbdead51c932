package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state report (Neutron's {@code L3NATAgentWithStateReport._report_state}):
 * the agent's record ({@code binary}, {@code host}, {@code topic},
 * {@code agent_type}, {@code configurations}) sent with {@code report_state}
 * and the report interval as the call's timeout.
 *
 * <p>Guarantees: {@code start_flag} is sent until a report succeeds, and
 * never after; a run of failed reports is logged once (WARN), and the first
 * success after it once (INFO); {@link #report} says whether a full sync
 * is due: the plugin answered {@code revived}, or this is the first success
 * after failed reports (notifications sent meanwhile may have been lost).
 *
 * <p>Thread rule: Hub-confined (the agent's hub), called by one looping call.
 */
final class StateReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StateReporter.class);

    private final L3PluginApi plugin;
    private double timeout;
    private final Map<String, Object> agentState = new LinkedHashMap<>();
    private boolean failedReportState;
    private long reports;
    private long failedReports;

    StateReporter(L3PluginApi plugin, String host, double timeout) {
        this.plugin = plugin;
        this.timeout = timeout;
        agentState.put("binary", "neutron-l3-agent");
        agentState.put("host", host);
        agentState.put("topic", L3AgentEndpoint.TOPIC);
        agentState.put("agent_type", "L3 agent");
        agentState.put("start_flag", true);
    }

    /** Sends one report with {@code configurations}; true if a full sync is due (see the class comment). */
    boolean report(Context ctx, Map<String, Object> configurations) {
        agentState.put("configurations", configurations);
        agentState.put("uuid", UUID.randomUUID().toString());
        reports++;
        String status;
        try {
            status = plugin.reportState(ctx, Map.copyOf(agentState), timeout);
        } catch (RuntimeException e) {
            failedReports++;
            if (!failedReportState) {
                failedReportState = true;
                LOG.warn("Failed reporting state! {}", e.toString());
            }
            return false;
        }
        agentState.remove("start_flag");
        boolean sync = false;
        if (failedReportState) {
            failedReportState = false;
            LOG.info("Successfully reported state after a previous failure.");
            // While the plugin was unreachable its notifications may have been lost (a zmq:// cast
            // is at most once; a restarted plugin answers "new", not "revived"): sync everything.
            LOG.info("The plugin was unreachable: notifications may have been lost. Doing a full sync.");
            sync = true;
        }
        if ("revived".equals(status)) {
            LOG.info("Agent has just been revived. Doing a full sync.");
            sync = true;
        }
        return sync;
    }

    /** Sets the next reports' timeout (the report interval). */
    void timeout(double seconds) {
        timeout = seconds;
    }

    /** Reports attempted. */
    long reports() {
        return reports;
    }

    /** Reports that failed. */
    long failedReports() {
        return failedReports;
    }
}

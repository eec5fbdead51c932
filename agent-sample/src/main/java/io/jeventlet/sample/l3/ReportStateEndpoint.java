package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcArg;
import io.jeventlet.rpc.RpcEndpoint;
import java.util.Map;

/**
 * The plugin's state-report endpoint on topic {@value #TOPIC}: Neutron's
 * {@code AgentExtRpcCallback.report_state(agent_state={"agent_state": {...}}, time)},
 * answering {@code new}, {@code alive} or {@code revived}.
 *
 * <p>Thread rule: Hub-confined (the simulator's hub).
 */
@RpcEndpoint(version = "1.3")
public final class ReportStateEndpoint {
    /** The state reports' topic (Neutron's {@code topics.REPORTS}). */
    public static final String TOPIC = "q-reports-plugin";

    private final PluginSimulator plugin;

    /** An endpoint for {@code plugin}. */
    public ReportStateEndpoint(PluginSimulator plugin) {
        this.plugin = plugin;
    }

    /** Records the report; {@code agentState} wraps the state under the key {@code agent_state}, as Neutron sends it. */
    public String reportState(Context ctx, @RpcArg("agent_state") Map<String, Object> agentState,
            @RpcArg("time") String time) {
        Object inner = agentState.get("agent_state");
        if (!(inner instanceof Map<?, ?> state)) {
            throw new IllegalArgumentException("report_state agent_state.agent_state = " + inner
                    + " is not valid: expected the agent's state as an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) state;
        return plugin.reportState(s);
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import java.util.List;
import java.util.Map;

/**
 * The calls the agent makes to the plugin: Neutron's {@code L3PluginApi}
 * ({@code get_router_ids}, {@code sync_routers} on topic {@code q-l3-plugin})
 * and {@code PluginReportStateAPI} ({@code report_state} on
 * {@code q-reports-plugin}). {@link L3PluginRpcApi} makes them over RPC.
 *
 * <p>Thread rule: each method blocks the calling green thread (it is a
 * remote call with a timeout), never the hub; call it from a green thread.
 * Failures are {@code io.jeventlet.rpc.MessagingException}s:
 * {@code MessagingTimeout} when no reply came in time.
 */
public interface L3PluginApi {

    /** The ids of the routers the plugin has scheduled to this agent. */
    List<String> getRouterIds(Context ctx);

    /**
     * The routers among {@code routerIds} that the plugin has scheduled to
     * this agent, as decoded JSON (Neutron's router dicts, see
     * {@link Router#fromWire}); a deleted or moved router is left out.
     */
    List<Object> getRouters(Context ctx, List<String> routerIds);

    /**
     * Reports the agent's state, waiting at most {@code timeout} seconds;
     * returns the plugin's answer: {@code "new"}, {@code "alive"} or
     * {@code "revived"} (Neutron's agent statuses).
     */
    String reportState(Context ctx, Map<String, Object> agentState, double timeout);

    /**
     * How many calls of {@link #getRouterIds} and {@link #getRouters} ended
     * in {@code MessagingTimeout} so far (each one backs the method's
     * timeout off); 0 for an implementation that cannot time out.
     */
    default long timedOutCalls() {
        return 0;
    }
}

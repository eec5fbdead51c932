package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcArg;
import io.jeventlet.rpc.RpcEndpoint;
import java.util.List;
import java.util.Map;

/**
 * The plugin's RPC endpoint on topic {@value #TOPIC}: Neutron's
 * {@code L3RpcCallback} methods the agent calls, under their wire names
 * ({@code get_router_ids(host)}, {@code sync_routers(host, router_ids)}).
 *
 * <p>Thread rule: Hub-confined (the simulator's hub).
 */
@RpcEndpoint(version = "1.14")
public final class L3PluginEndpoint {
    /** The plugin's topic (Neutron's {@code topics.L3PLUGIN}). */
    public static final String TOPIC = "q-l3-plugin";

    private final PluginSimulator plugin;

    /** An endpoint for {@code plugin}. */
    public L3PluginEndpoint(PluginSimulator plugin) {
        this.plugin = plugin;
    }

    /** The ids of the routers scheduled to {@code host}. */
    public List<String> getRouterIds(Context ctx, @RpcArg("host") String host) {
        return plugin.getRouterIds(requireHost(host));
    }

    /** The routers among {@code routerIds} (all when null) scheduled to {@code host}, as router dicts. */
    public List<Map<String, Object>> syncRouters(Context ctx, @RpcArg("host") String host,
            @RpcArg("router_ids") List<String> routerIds) {
        return plugin.syncRouters(requireHost(host), routerIds);
    }

    static String requireHost(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host = '" + host + "' is not valid: expected the agent's host name");
        }
        return host;
    }
}

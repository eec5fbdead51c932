package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcArg;
import io.jeventlet.rpc.RpcEndpoint;
import java.util.Map;

/**
 * A demo-only endpoint of the plugin simulator in namespace
 * {@value DemoStatusEndpoint#NAMESPACE} on topic {@value L3PluginEndpoint#TOPIC}:
 * the demo starts and stops the workload and reads the plugin's schedule
 * and counters over the bus.
 *
 * <p>Thread rule: Hub-confined (the simulator's hub).
 */
@RpcEndpoint(namespace = DemoStatusEndpoint.NAMESPACE, version = "1.0")
public final class PluginDemoEndpoint {
    private final PluginSimulator plugin;

    /** An endpoint for {@code plugin}. */
    public PluginDemoEndpoint(PluginSimulator plugin) {
        this.plugin = plugin;
    }

    /** The plugin's counters and, per agent, whether it is alive and the routers scheduled to it. */
    public Map<String, Object> demoStatus(Context ctx) {
        return plugin.status();
    }

    /** Starts (or changes) the workload: {@code update_rate} changes per second from now on. */
    public Map<String, Object> startWorkload(Context ctx, @RpcArg("update_rate") double updateRate) {
        plugin.setUpdateRate(updateRate);
        return plugin.status();
    }

    /** Stops making changes; returns the status at that moment. */
    public Map<String, Object> stopWorkload(Context ctx) {
        plugin.stopWorkload();
        return plugin.status();
    }
}

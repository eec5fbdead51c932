package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Transport;
import java.util.function.Function;
import picocli.CommandLine.Command;

/**
 * The plugin simulator daemon ({@code bin/l3-plugin-sim}): serves topics
 * {@value L3PluginEndpoint#TOPIC} and {@value ReportStateEndpoint#TOPIC} on
 * {@code rpc.transport_url} and drives the {@code plugin.*} workload, on a
 * {@code ServiceLauncher} (SIGTERM or SIGINT stop it gracefully).
 * {@code plugin.update_rate} and {@code plugin.agent_down_time} are mutable:
 * SIGHUP applies a new value from the configuration files.
 *
 * <p>Exit status: the launcher's (0 after a graceful stop), 2 for a usage
 * error, an invalid configuration or a malformed transport URL.
 */
@Command(name = "l3-plugin-sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The plugin simulator: owns the routers, schedules them to the L3 agents that report, tracks"
                + " their liveness and drives a workload of changes, over RPC on rpc.transport_url.")
public final class PluginSimMain extends ServiceDaemon {

    @Override
    Function<Transport, PluginSimulatorService> serviceOn(ConfigOpts conf) {
        return transport -> {
            PluginSimulatorService service =
                    new PluginSimulatorService(transport, simulator(conf, WallClock.SYSTEM));
            conf.addReloadHook(changes -> {
                if (changes.containsKey(L3AgentOpts.UPDATE_RATE.key())) {
                    service.plugin().setUpdateRate(conf.get(L3AgentOpts.UPDATE_RATE));
                }
                if (changes.containsKey(L3AgentOpts.AGENT_DOWN_TIME.key())) {
                    service.plugin().setAgentDownTime(conf.get(L3AgentOpts.AGENT_DOWN_TIME));
                }
            });
            return service;
        };
    }

    /** A simulator configured by the {@code plugin} group of {@code conf}. */
    static PluginSimulator simulator(ConfigOpts conf, WallClock clock) {
        return simulator(conf, clock, conf.get(L3AgentOpts.UPDATE_RATE));
    }

    /** As {@link #simulator(ConfigOpts, WallClock)}, starting at {@code updateRate} changes per second. */
    static PluginSimulator simulator(ConfigOpts conf, WallClock clock, double updateRate) {
        double timeout = conf.get(io.jeventlet.rpc.RpcOpts.RESPONSE_TIMEOUT);
        PluginFaults faults = new PluginFaults(conf.get(L3AgentOpts.DROP_REPLY_PERCENT), timeout + 1,
                conf.get(L3AgentOpts.REPLY_DELAY), conf.get(L3AgentOpts.SILENT_AFTER), conf.get(L3AgentOpts.SILENT_FOR),
                conf.get(L3AgentOpts.MALFORMED_ROUTER_PERCENT));
        return new PluginSimulator(conf.get(L3AgentOpts.ROUTERS), updateRate,
                conf.get(L3AgentOpts.SEED), conf.get(L3AgentOpts.AGENT_DOWN_TIME), faults, clock);
    }

    /** Runs the simulator with {@code args} and exits with its status. */
    public static void main(String[] args) {
        System.exit(ConfigCommandLine.execute(new PluginSimMain(), args));
    }
}

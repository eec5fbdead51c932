package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;
import picocli.CommandLine.Command;

/**
 * The L3 agent daemon ({@code bin/l3-agent}): one agent, serving topic
 * {@value L3AgentEndpoint#TOPIC} with server = {@code agent.host} on
 * {@code rpc.transport_url}, on a {@code ServiceLauncher}: SIGTERM or SIGINT
 * stops it gracefully, SIGHUP reloads the configuration files, SIGUSR2 logs
 * a report of its green threads.
 *
 * <p>Exit status: the launcher's (0 after a graceful stop), 2 for a usage
 * error, an invalid configuration or a malformed transport URL.
 */
@Command(name = "l3-agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The L3 agent: applies the routers the plugin schedules to it, talking to the plugin over RPC"
                + " on rpc.transport_url.")
public final class L3AgentMain extends ServiceDaemon {

    @Override
    Function<Transport, L3AgentService> serviceOn(ConfigOpts conf) {
        L3AgentConfig agentConfig = L3AgentConfig.from(conf, hostName());
        return transport -> {
            L3AgentService service = new L3AgentService(transport, agentConfig,
                    new RouterDriver(agentConfig.operationLatency(),
                            conf.get(L3AgentOpts.ROUTER_LATENCY), true), WallClock.SYSTEM);
            conf.addReloadHook(changes -> {
                if (changes.containsKey(L3AgentOpts.REPORT_INTERVAL.key())) {
                    service.agent().setReportInterval(conf.get(L3AgentOpts.REPORT_INTERVAL));
                }
            });
            return service;
        };
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Runs the agent with {@code args} and exits with its status. */
    public static void main(String[] args) {
        System.exit(ConfigCommandLine.execute(new L3AgentMain(), args));
    }
}

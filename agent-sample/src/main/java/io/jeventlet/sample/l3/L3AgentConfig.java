package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.service.ServiceOpts;

/**
 * The values an {@link L3Agent} runs with, read once from the configuration
 * under Neutron's option names.
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param host the agent's name: its RPC server name and what it reports as ({@code agent.host})
 * @param reportInterval seconds between two state reports, also the report's timeout ({@code agent.report_interval})
 * @param periodicInterval seconds between two runs of the periodic tasks, the full sync among them
 *        ({@code service.periodic_interval})
 * @param periodicFuzzyDelay the periodic tasks first run after a random delay up to this ({@code service.periodic_fuzzy_delay})
 * @param operationLatency seconds each router driver operation takes ({@code router_driver.operation_latency})
 */
public record L3AgentConfig(String host, double reportInterval, double periodicInterval, double periodicFuzzyDelay,
        double operationLatency) {

    /** Checks the values as the options' declarations do, for agents built in code. */
    public L3AgentConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host = '" + host + "' is not valid: must be a non-empty name");
        }
        if (!(reportInterval > 0) || !(periodicInterval > 0)) {
            throw new IllegalArgumentException("report_interval = " + reportInterval + ", periodic_interval = "
                    + periodicInterval + " are not valid: both must be > 0");
        }
        if (!(periodicFuzzyDelay >= 0) || !(operationLatency >= 0)) {
            throw new IllegalArgumentException("periodic_fuzzy_delay = " + periodicFuzzyDelay
                    + ", operation_latency = " + operationLatency + " are not valid: both must be >= 0");
        }
    }

    /** The settings in {@code conf}; {@code host} when {@code agent.host} is not set. */
    public static L3AgentConfig from(ConfigOpts conf, String defaultHost) {
        String host = conf.get(L3AgentOpts.HOST);
        return new L3AgentConfig(host == null || host.isEmpty() ? defaultHost : host,
                conf.get(L3AgentOpts.REPORT_INTERVAL), conf.get(ServiceOpts.PERIODIC_INTERVAL),
                conf.get(ServiceOpts.PERIODIC_FUZZY_DELAY), conf.get(L3AgentOpts.OPERATION_LATENCY));
    }
}

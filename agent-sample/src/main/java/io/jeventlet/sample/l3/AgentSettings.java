package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigOpts;

/**
 * The values an {@link L3Agent} runs with, read once from the configuration.
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param host the name the agent reports itself under
 * @param workers green threads processing routers at once (at least 1)
 * @param reportInterval seconds between two state reports
 * @param resyncInterval seconds between two full resyncs
 * @param configureTime seconds the simulated configure step of one router takes
 */
public record AgentSettings(String host, int workers, double reportInterval, double resyncInterval,
        double configureTime) {

    /** Checks the values as the options' declarations do, for agents built in code. */
    public AgentSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("workers = " + workers + " is not valid: must be >= 1");
        }
        if (!(reportInterval > 0) || !(resyncInterval > 0)) {
            throw new IllegalArgumentException("reportInterval = " + reportInterval + ", resyncInterval = "
                    + resyncInterval + " are not valid: both must be > 0");
        }
        if (!(configureTime >= 0)) {
            throw new IllegalArgumentException("configureTime = " + configureTime + " is not valid: must be >= 0");
        }
    }

    /** The settings in {@code conf} ({@code agent.*}, and {@code demo.configure_time}). */
    public static AgentSettings from(ConfigOpts conf, String host) {
        return new AgentSettings(host, conf.get(L3AgentOpts.WORKERS), conf.get(L3AgentOpts.REPORT_INTERVAL),
                conf.get(L3AgentOpts.RESYNC_INTERVAL), conf.get(L3AgentOpts.CONFIGURE_TIME));
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import java.util.List;

/**
 * The sample's option groups: {@code agent} (the L3 agent's own settings)
 * and {@code demo} (the plugin simulator and the run). Defaults live in this
 * module's {@code reference.conf}; the groups are found through
 * {@code META-INF/services/io.jeventlet.conf.OptGroupProvider}.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class L3AgentOpts implements OptGroupProvider {

    /** The L3 agent's settings. */
    public static final OptGroup AGENT = new OptGroup("agent", "The L3 agent's own settings.");
    /** The demo's settings: the plugin simulator and how long the run lasts. */
    public static final OptGroup DEMO = new OptGroup("demo", "The plugin simulator and the demo run.");

    /** {@code agent.workers}: the size of the GreenPool that processes routers. */
    public static final Opt<Integer> WORKERS = AGENT.add(Opt.intOpt("workers").min(1).max(10_000)
            .help("Green threads processing routers at once (the size of the agent's GreenPool)."));
    /** {@code agent.report_interval}: seconds between two state reports. */
    public static final Opt<Double> REPORT_INTERVAL = AGENT.add(Opt.durationOpt("report_interval").greaterThan(0)
            .help("Seconds between two state reports to the plugin."));
    /** {@code agent.resync_interval}: seconds between two full resyncs. */
    public static final Opt<Double> RESYNC_INTERVAL = AGENT.add(Opt.durationOpt("resync_interval").greaterThan(0)
            .help("Seconds between two full resyncs, which ask the plugin for every router."));

    /** {@code demo.duration}: how long the demo runs; 0 runs until SIGINT or SIGTERM. */
    public static final Opt<Double> DURATION = DEMO.add(Opt.durationOpt("duration").min(0)
            .help("Seconds the demo runs before it stops and prints its summary; 0 runs until SIGINT or SIGTERM."));
    /** {@code demo.routers}: routers the simulated plugin holds at start. */
    public static final Opt<Integer> ROUTERS = DEMO.add(Opt.intOpt("routers").min(0).max(1_000_000)
            .help("Routers the simulated plugin holds at start."));
    /** {@code demo.update_rate}: router changes per second; mutable (SIGHUP applies a new value). */
    public static final Opt<Double> UPDATE_RATE = DEMO.add(Opt.floatOpt("update_rate").min(0).max(100_000).mutable()
            .help("Router changes (create, update or delete) the simulated plugin makes per second; 0 makes none."
                    + " Mutable: SIGHUP applies a new value from the configuration files."));
    /** {@code demo.seed}: the seed of the simulator's random choices. */
    public static final Opt<Integer> SEED = DEMO.add(Opt.intOpt("seed")
            .help("Seed of the simulator's random choices; the same seed makes the same changes."));
    /** {@code demo.configure_time}: how long configuring one router takes. */
    public static final Opt<Double> CONFIGURE_TIME = DEMO.add(Opt.durationOpt("configure_time").min(0).max(60)
            .help("Seconds the agent spends (cooperatively) configuring one router after fetching it."));

    @Override
    public List<OptGroup> groups() {
        return List.of(AGENT, DEMO);
    }
}

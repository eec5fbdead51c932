package io.jeventlet.sample.l3;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import java.util.List;

/**
 * The sample's option groups, under Neutron's option names where Neutron
 * has one: {@code agent} (the L3 agent: Neutron's {@code host} and
 * {@code [AGENT] report_interval}; its periodic tasks follow the service
 * group's {@code periodic_interval} and {@code periodic_fuzzy_delay}),
 * {@code router_driver} (the simulated host),
 * {@code plugin} (the plugin simulator: Neutron's {@code agent_down_time},
 * its workload and its faults) and {@code demo} (the demo run). Defaults live
 * in this module's {@code reference.conf}; the groups are found through
 * {@code META-INF/services/io.jeventlet.conf.OptGroupProvider}.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class L3AgentOpts implements OptGroupProvider {

    /** The L3 agent's settings. */
    public static final OptGroup AGENT = new OptGroup("agent", "The L3 agent (Neutron's names and defaults).");
    /** The simulated host the agent applies routers to. */
    public static final OptGroup ROUTER_DRIVER = new OptGroup("router_driver",
            "The in-memory model of namespaces, interfaces, routes and floating IPs the agent applies routers to.");
    /** The plugin simulator. */
    public static final OptGroup PLUGIN = new OptGroup("plugin",
            "The plugin simulator: router database, scheduler, liveness, workload and faults.");
    /** The demo run. */
    public static final OptGroup DEMO = new OptGroup("demo", "The demo: how many agents, for how long.");

    /** {@code agent.host}: the agent's name; empty means the machine's host name. */
    public static final Opt<String> HOST = AGENT.add(Opt.stringOpt("host")
            .help("The agent's host name: its RPC server name on topic l3_agent and what it reports as."
                    + " Empty means the machine's host name."));
    /** {@code agent.report_interval}: seconds between two state reports. */
    public static final Opt<Double> REPORT_INTERVAL = AGENT.add(Opt.durationOpt("report_interval").greaterThan(0)
            .mutable()
            .help("Seconds between two state reports to the plugin; also each report's RPC timeout."
                    + " Mutable: SIGHUP applies a new value from the configuration files."));
    /** {@code router_driver.router_latency}: seconds each apply that changes a router takes, besides its operations. */
    public static final Opt<Double> ROUTER_LATENCY = ROUTER_DRIVER.add(Opt.durationOpt("router_latency")
            .min(0).max(60)
            .help("Seconds each apply that changes a router takes on top of its operations (a fixed per-router"
                    + " cost, as the agent benchmark sets); 0 for none."));
    /** {@code router_driver.operation_latency}: seconds each namespace/interface/route/floating-IP operation takes. */
    public static final Opt<Double> OPERATION_LATENCY = ROUTER_DRIVER.add(Opt.durationOpt("operation_latency")
            .min(0).max(60)
            .help("Seconds each operation (a namespace, interface, route or floating IP added or removed) takes."));

    /** {@code plugin.agent_down_time}: an agent without a report for this long is down. */
    public static final Opt<Double> AGENT_DOWN_TIME = PLUGIN.add(Opt.durationOpt("agent_down_time").greaterThan(0)
            .mutable()
            .help("Seconds without a state report after which an agent is down and its routers are rescheduled."
                    + " Mutable: SIGHUP applies a new value from the configuration files."));
    /** {@code plugin.routers}: routers in the database at start. */
    public static final Opt<Integer> ROUTERS = PLUGIN.add(Opt.intOpt("routers").min(0).max(1_000_000)
            .help("Routers in the plugin's database at start."));
    /** {@code plugin.update_rate}: router changes per second; mutable. */
    public static final Opt<Double> UPDATE_RATE = PLUGIN.add(Opt.floatOpt("update_rate").min(0).max(100_000)
            .mutable()
            .help("Router changes (10% create, 10% delete, 80% update) per second; 0 makes none."
                    + " Mutable: SIGHUP applies a new value from the configuration files."));
    /** {@code plugin.seed}: the seed of the workload's random choices. */
    public static final Opt<Integer> SEED = PLUGIN.add(Opt.intOpt("seed")
            .help("Seed of the workload's random choices; the same seed makes the same changes."));
    /** {@code plugin.drop_reply_percent}: percent of replies held back past the caller's timeout. */
    public static final Opt<Double> DROP_REPLY_PERCENT = PLUGIN.add(Opt.floatOpt("drop_reply_percent").min(0).max(100)
            .help("Percent of calls whose reply is held back until the caller has timed out (a lost reply)."));
    /** {@code plugin.reply_delay}: seconds every reply is delayed. */
    public static final Opt<Double> REPLY_DELAY = PLUGIN.add(Opt.durationOpt("reply_delay").min(0).max(600)
            .help("Seconds every reply is delayed."));
    /** {@code plugin.silent_after}: when the plugin goes silent; 0 never. */
    public static final Opt<Double> SILENT_AFTER = PLUGIN.add(Opt.durationOpt("silent_after").min(0)
            .help("Seconds after start at which the plugin goes silent (no call answered, the workload paused);"
                    + " 0: never."));
    /** {@code plugin.silent_for}: how long the silence lasts. */
    public static final Opt<Double> SILENT_FOR = PLUGIN.add(Opt.durationOpt("silent_for").min(0).max(3600)
            .help("Seconds the silence lasts."));
    /** {@code plugin.malformed_router_percent}: percent of routers sent with a broken field. */
    public static final Opt<Double> MALFORMED_ROUTER_PERCENT = PLUGIN.add(Opt.floatOpt("malformed_router_percent")
            .min(0).max(100)
            .help("Percent of routers in sync_routers replies sent with a broken field (_interfaces not a list)."));

    /** {@code demo.agents}: agents the demo starts. */
    public static final Opt<Integer> AGENTS = DEMO.add(Opt.intOpt("agents").min(1).max(64)
            .help("L3 agents the demo starts (hosts agent-1 ... agent-N)."));
    /** {@code demo.duration}: how long the workload runs. */
    public static final Opt<Double> DURATION = DEMO.add(Opt.durationOpt("duration").min(0)
            .help("Seconds the workload runs before the demo drains, checks and prints its summary;"
                    + " 0 runs until Ctrl-C or SIGTERM."));

    @Override
    public List<OptGroup> groups() {
        return List.of(AGENT, ROUTER_DRIVER, PLUGIN, DEMO);
    }
}

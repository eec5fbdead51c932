package io.jeventlet.sample.l3;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigLayer;
import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.conf.Opt;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.Transport;
import io.jeventlet.service.ServiceOpts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo: the plugin simulator and N L3 agents, a workload of router
 * changes for {@code demo.duration}, one progress line updated in place,
 * then a summary that ends with whether every agent's routers equal what
 * the plugin scheduled to it.
 *
 * <p>By default every part is its own process on loopback: a ZeroMQ proxy,
 * the plugin simulator and the agents, started from this JVM's class path
 * and stopped on every exit path (a shutdown hook destroys them, and each
 * exits by itself when this process dies). {@code --transport-url} runs the
 * same processes on another bus (a RabbitMQ broker); {@code --in-process}
 * runs everything in this JVM on {@code inproc://}. Whichever the bus, the
 * demo learns everything over it ({@link DemoRun}).
 *
 * <p>Exit status: 0 when the agents agree with the plugin, 1 when they do
 * not (or a part failed to start), 2 for a usage error or an invalid
 * configuration. Ctrl-C or SIGTERM ends the workload early, still with the
 * summary.
 *
 * <p>Thread rule: {@link #call()} runs on the main thread, whose hub runs
 * the coordinator (and, in process, every service); the shutdown hook only
 * hands the hub a stop request ({@link Hub#callThreadsafe}) and waits for
 * the summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the plugin simulator and N L3 agents, each its own process talking over RPC, drives a"
                + " workload of router changes, and prints a summary that ends with whether every agent's routers"
                + " equal what the plugin scheduled to it.")
public final class DemoMain implements Callable<Integer> {

    /** Seconds the agents get, once the workload stops, to agree with the plugin. */
    static final double DRAIN_SECONDS = 60;
    /** Seconds each of the demo's status calls waits. */
    static final double STATUS_TIMEOUT = 10;
    /** Seconds the parts get to come up and report. */
    static final double STARTUP_SECONDS = 60;
    /** Seconds the shutdown hook waits for the summary. */
    static final long HOOK_WAIT_SECONDS = 90;
    /** Seconds between two updates of the progress line on a terminal. */
    static final double PROGRESS_INTERVAL = 0.5;
    /** Seconds between two progress lines when the output is not a terminal. */
    static final double LOG_PROGRESS_INTERVAL = 5;

    /** The demo's own defaults, used where the configuration leaves the reference default. */
    static final Map<Opt<Double>, Double> DEMO_DEFAULTS = Map.of(
            L3AgentOpts.REPORT_INTERVAL, 2.0,
            ServiceOpts.PERIODIC_INTERVAL, 5.0,
            ServiceOpts.PERIODIC_FUZZY_DELAY, 1.0,
            L3AgentOpts.AGENT_DOWN_TIME, 10.0,
            RpcOpts.RESPONSE_TIMEOUT, 10.0);

    /** The fault presets of {@code --faults}. */
    enum Faults { none, lossy, slow, silent, malformed, all }

    @Mixin
    ConfigCommandLine config;

    @Option(names = "--agents", paramLabel = "N", description = "L3 agents to start (demo.agents).")
    Integer agents;

    @Option(names = "--routers", paramLabel = "N", description = "Routers at start (plugin.routers).")
    Integer routers;

    @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Router changes per second (plugin.update_rate).")
    Double rate;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Seconds of workload (demo.duration); 0 runs until Ctrl-C or SIGTERM.")
    Double duration;

    @Option(names = "--faults", paramLabel = "PRESET",
            description = "Plugin faults: ${COMPLETION-CANDIDATES} (default none). lossy drops 10%% of replies,"
                    + " slow delays every reply 50 ms, silent makes the plugin silent for 5 s at 5 s,"
                    + " malformed sends 5%% of routers broken, all does all of them.")
    Faults faults = Faults.none;

    @Option(names = "--transport-url", paramLabel = "URL",
            description = "Run the processes on this bus instead of a ZeroMQ proxy of their own"
                    + " (e.g. rabbit://guest:guest@127.0.0.1:5672/).")
    String transportUrl;

    @Option(names = "--in-process", description = "Run everything in this JVM on inproc://.")
    boolean inProcess;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigOpts conf = loadConfig();
        int agentCount = conf.get(L3AgentOpts.AGENTS);
        double seconds = conf.get(L3AgentOpts.DURATION);
        PrintWriter out = spec.commandLine().getOut();
        if (!inProcess && transportUrl == null && !DemoParts.proxyAvailable()) {
            out.println("this build has no zmq:// driver (" + DemoParts.PROXY_MAIN + "): running everything in one JVM"
                    + " on inproc:// instead, as --in-process does");
            inProcess = true;
        }
        Hub hub = Hub.get();
        Event<String> stopRequested = new Event<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().name("demo-shutdown").unstarted(() -> {
            hub.callThreadsafe(() -> {
                if (!stopRequested.ready()) {
                    stopRequested.send("Ctrl-C or SIGTERM");
                }
            });
            try {
                finished.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (DemoParts parts = inProcess ? DemoParts.inProcess(conf, agentCount)
                : DemoParts.processes(conf, agentCount, transportUrl, config.configFiles())) {
            try {
                parts.start();
            } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
                out.println("the demo could not start its parts: " + e.getMessage());
                out.flush();
                return 1;
            }
            out.println(parts.describe());
            out.flush();
            DemoRun run = new DemoRun(parts.transport(), parts.hosts(), STATUS_TIMEOUT);
            if (!run.awaitAgents(STARTUP_SECONDS)) {
                out.println("the agents did not all report to the plugin within " + STARTUP_SECONDS + " s"
                        + (parts.logs() != null ? "; see " + parts.logs() : ""));
                out.flush();
                return 1;
            }
            run.startWorkload(conf.get(L3AgentOpts.UPDATE_RATE));
            out.println(agentCount + (agentCount == 1 ? " agent" : " agents") + " reported to the plugin; workload of "
                    + conf.get(L3AgentOpts.UPDATE_RATE) + " changes/s "
                    + (seconds > 0 ? "for " + seconds + " s" : "until Ctrl-C or SIGTERM"));
            out.flush();
            double start = hub.clock();
            double end = seconds > 0 ? start + seconds : Double.POSITIVE_INFINITY;
            // On a terminal the progress line is rewritten in place; in a log, one line every few seconds.
            boolean tty = System.console() != null && System.console().isTerminal();
            double nextLogLine = start + LOG_PROGRESS_INTERVAL;
            String why = null;
            while (why == null && hub.clock() < end) {
                why = stopRequested.await(Math.min(PROGRESS_INTERVAL, end - hub.clock()));
                if (tty) {
                    out.print("\r" + run.progress(hub.clock() - start) + "\u001b[K");
                    out.flush();
                } else if (hub.clock() >= nextLogLine) {
                    out.println(run.progress(hub.clock() - start));
                    out.flush();
                    nextLogLine += LOG_PROGRESS_INTERVAL;
                }
            }
            double ran = hub.clock() - start;
            if (tty) {
                out.println();
            }
            out.println(why == null ? "workload done; waiting for the agents to agree with the plugin..."
                    : "stopped by " + why + "; waiting for the agents to agree with the plugin...");
            out.flush();
            DemoSummary summary = run.finish(ran, DRAIN_SECONDS);
            summary.lines().forEach(out::println);
            out.flush();
            return summary.agreed() ? 0 : 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running (a signal): it returns now that the summary is out.
            }
        }
    }

    /**
     * The configuration: files, environment and command line, with the
     * demo's own defaults where the user left the reference default, and
     * the command's own options above all.
     */
    private ConfigOpts loadConfig() {
        ConfigOpts first = config.applyTo(ConfigOpts.builder()).load();
        ConfigOpts.Builder b = config.applyTo(ConfigOpts.builder());
        DEMO_DEFAULTS.forEach((opt, value) -> {
            if (first.layerOf(opt) == ConfigLayer.REFERENCE) {
                b.override(opt, value);
            }
        });
        if (agents != null) {
            b.override(L3AgentOpts.AGENTS, agents);
        }
        if (routers != null) {
            b.override(L3AgentOpts.ROUTERS, routers);
        }
        if (rate != null) {
            b.override(L3AgentOpts.UPDATE_RATE, rate);
        }
        if (duration != null) {
            b.override(L3AgentOpts.DURATION, duration);
        }
        for (Map.Entry<Opt<Double>, Double> f : faultValues(faults).entrySet()) {
            b.override(f.getKey(), f.getValue());
        }
        return b.load();
    }

    /** The plugin options a fault preset sets. */
    static Map<Opt<Double>, Double> faultValues(Faults preset) {
        Map<Opt<Double>, Double> m = new LinkedHashMap<>();
        if (preset == Faults.lossy || preset == Faults.all) {
            m.put(L3AgentOpts.DROP_REPLY_PERCENT, 10.0);
        }
        if (preset == Faults.slow || preset == Faults.all) {
            m.put(L3AgentOpts.REPLY_DELAY, 0.05);
        }
        if (preset == Faults.silent || preset == Faults.all) {
            m.put(L3AgentOpts.SILENT_AFTER, 5.0);
            m.put(L3AgentOpts.SILENT_FOR, 5.0);
        }
        if (preset == Faults.malformed || preset == Faults.all) {
            m.put(L3AgentOpts.MALFORMED_ROUTER_PERCENT, 5.0);
        }
        return m;
    }

    /** The values of the plugin's and agents' options to hand the child processes. */
    static List<String> childOptions(ConfigOpts conf, List<Opt<?>> opts) {
        List<String> args = new ArrayList<>();
        for (Opt<?> opt : opts) {
            Object v = conf.get(opt);
            if (v != null) {
                // A duration given as a plain number is seconds.
                args.add("--" + opt.key() + "=" + v);
            }
        }
        return args;
    }

    /** Runs the demo with {@code args} and exits with its status. */
    public static void main(String[] args) {
        System.exit(ConfigCommandLine.execute(new DemoMain(), args));
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.conf.ConfigValidationException;
import io.jeventlet.hubs.Hub;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The demo's entry point: runs the plugin simulator and the L3 agent in this
 * process, on the main thread's hub, for {@code --duration} seconds (or
 * {@code demo.duration}; 0 runs until SIGINT or SIGTERM), then prints a
 * summary on standard output.
 *
 * <p>Exit status: 0 when the invariants held, 1 when they broke (a router
 * processed by two workers at once, more than {@code agent.workers} at once,
 * or the agent out of sync with the plugin after draining), 2 for a usage
 * error or an invalid configuration. A signal ends the run early with its
 * summary; the JVM then exits with the signal's status.
 *
 * <p>SIGHUP re-reads the configuration files (oslo's reload on SIGHUP):
 * mutable options take their new values ({@code demo.update_rate} changes
 * the simulator's rate at once), a changed immutable option is logged and
 * ignored, and files that are now invalid are reported and change nothing.
 *
 * <p>Thread rule: {@link #call()} runs on the main thread, which becomes the
 * hub's main greenlet; the shutdown hook only hands the hub a stop request
 * ({@link Hub#callThreadsafe}) and waits for the summary; the SIGHUP
 * handler only hands the hub a green thread that reloads.
 */
@Command(name = "l3-agent-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an L3-agent-like daemon and a simulated plugin in one process, on green threads,",
                "and prints a summary of what was processed and whether the invariants held."})
public final class L3AgentMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(L3AgentMain.class);

    /** Seconds the agent gets to finish queued work after the run, before it is stopped anyway. */
    static final double DRAIN_SECONDS = 10;
    /** Seconds the shutdown hook waits for the summary. */
    static final long HOOK_WAIT_SECONDS = 30;

    @Mixin
    ConfigCommandLine config;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Seconds to run (overrides demo.duration); 0 runs until SIGINT or SIGTERM.")
    Double duration;

    @Spec
    CommandSpec spec;

    /** Loads the configuration, runs the demo and returns the exit status (see the class comment). */
    @Override
    public Integer call() {
        ConfigOpts.Builder builder = ConfigOpts.builder();
        if (duration != null) {
            builder.override(L3AgentOpts.DURATION, duration);
        }
        ConfigOpts conf = config.load(builder);
        double seconds = conf.get(L3AgentOpts.DURATION);
        InProcessDemo demo = new InProcessDemo(AgentSettings.from(conf, hostName()), conf.get(L3AgentOpts.ROUTERS),
                conf.get(L3AgentOpts.UPDATE_RATE), conf.get(L3AgentOpts.SEED));

        Hub hub = Hub.get();
        Event<String> stopRequested = new Event<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().name("l3-agent-demo-shutdown").unstarted(() -> {
            hub.callThreadsafe(() -> {
                if (!stopRequested.ready()) {
                    stopRequested.send("signal");
                }
            });
            try {
                finished.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        conf.addReloadHook(changes -> {
            if (changes.containsKey(L3AgentOpts.UPDATE_RATE.key())) {
                demo.plugin().setUpdateRate(conf.get(L3AgentOpts.UPDATE_RATE));
            }
        });
        SignalHandler previousHup = onHangUp(() -> hub.callThreadsafe(() -> Eventlet.spawnN(() -> reload(conf))));
        try {
            demo.start();
            LOG.info("running {}", seconds > 0 ? "for " + seconds + " s" : "until SIGINT or SIGTERM");
            String why = stopRequested.await(seconds > 0 ? seconds : Double.POSITIVE_INFINITY);
            LOG.info("stopping ({})", why == null ? "duration reached" : why);
            DemoSummary summary = demo.stop(DRAIN_SECONDS);
            PrintWriter out = spec.commandLine().getOut();
            summary.lines().forEach(out::println);
            out.flush();
            return summary.ok() ? 0 : 1;
        } finally {
            if (previousHup != null) {
                Signal.handle(new Signal("HUP"), previousHup);
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running (a signal): it returns now that the summary is out.
            }
        }
    }

    /**
     * Installs {@code action} as the SIGHUP handler and returns the one it
     * replaced; null (reload by signal unavailable, logged) where the JVM
     * keeps SIGHUP for itself, as under {@code -Xrs}.
     */
    private static SignalHandler onHangUp(Runnable action) {
        try {
            return Signal.handle(new Signal("HUP"), sig -> action.run());
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot reload the configuration in this JVM: {}", e.getMessage());
            return null;
        }
    }

    /** Re-reads the configuration files; in a green thread, so the hooks run on the hub. */
    private static void reload(ConfigOpts conf) {
        LOG.info("SIGHUP: reloading the configuration files");
        try {
            conf.reload();
        } catch (ConfigValidationException e) {
            LOG.error("{}", e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Runs the demo with {@code args} and exits with its status. */
    public static void main(String[] args) {
        System.exit(ConfigCommandLine.execute(new L3AgentMain(), args));
    }
}

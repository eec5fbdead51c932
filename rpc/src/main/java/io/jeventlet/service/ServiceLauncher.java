package io.jeventlet.service;

import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigChange;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.conf.ConfigValidationException;
import io.jeventlet.conf.LoggingSetup;
import io.jeventlet.hubs.CarrierThreads;
import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo.service's ServiceLauncher: starts services, runs them until SIGTERM,
 * SIGINT or {@link #stop()}, reloads on SIGHUP, reports on SIGUSR2, and
 * returns the process's exit status. A daemon's whole {@code main}:
 *
 * <pre>{@code
 * @Command(name = "my-agent", mixinStandardHelpOptions = true)
 * public final class MyAgentMain implements Callable<Integer> {
 *     @Mixin ConfigCommandLine config;           // --config-file, --debug, --log-file, --dump-config, ...
 *
 *     public Integer call() {
 *         ServiceLauncher launcher = new ServiceLauncher(config.load());
 *         launcher.launchService(MyAgent::new, 2);  // or launchService(new MyAgent())
 *         return launcher.await();
 *     }
 *
 *     public static void main(String[] args) {
 *         System.exit(ConfigCommandLine.execute(new MyAgentMain(), args));
 *     }
 * }
 * }</pre>
 *
 * <p>Where services run: {@link #launchService(Service)} runs the service on
 * the hub of the thread that calls {@link #await()} (the main thread's hub,
 * which it runs while it waits). {@link #launchService(Supplier, int)} runs
 * {@code workers} instances, each made by the factory on its own platform
 * OS thread and hub, so a daemon uses every core while each instance keeps
 * eventlet's one-green-thread-at-a-time model (oslo forks a process per
 * worker for the same effect). Everything starts when {@code await()} is
 * called.
 *
 * <p>Exit status of {@link #await()}: {@link #EXIT_OK} after a graceful stop;
 * {@link #EXIT_FAILURE} if a service failed (its factory, start, stop or wait
 * threw — logged, and the other services are then stopped gracefully), if
 * the services did not stop within {@code service.graceful_shutdown_timeout}
 * (what still runs is logged, then killed), or if a second SIGTERM/SIGINT forced the
 * stop. A failed worker is not restarted: oslo's ProcessLauncher restarts a
 * child process because a crash there leaves nothing behind, but a worker
 * here shares the JVM with the others, and a failure in it (an exception
 * out of its factory or its start, stop or wait — a failing green thread of
 * a service never fails the service) may have left shared state half done;
 * the process supervisor (systemd, Kubernetes) restarting the whole process
 * is the safe restart.
 *
 * <p>Signals (handled once per JVM, reaching every launcher in its
 * {@code await()}): SIGTERM and SIGINT stop every service gracefully (a
 * service still starting has its start cancelled, so a daemon waiting for
 * its broker or proxy stops at once); a second SIGTERM during that wait
 * stops them at once (threads killed, {@value #KILL_GRACE_SECONDS} s for
 * their finally blocks); a second SIGINT kills them and returns at once
 * without waiting (oslo's fast exit: an operator's second Ctrl-C). SIGHUP
 * re-reads the configuration files ({@link ConfigOpts#reload()}) and calls
 * {@link Service#reset()} on every service; a reload that fails validation
 * changes nothing and is logged. SIGUSR2 logs a Guru Meditation Report
 * (every hub's green threads, the OS threads, the configuration with secrets
 * masked, uptime and counters) at WARN, so it shows under the usual WARN
 * root level. Under {@code -Xrs} the JVM keeps HUP, INT and TERM: that is
 * logged once, and TERM then ends the JVM the JVM's way. The launcher does
 * not exit the JVM itself: {@code System.exit(launcher.await())} does, which
 * runs the JVM's shutdown hooks.
 *
 * <p>Thread rule: {@code launchService} and {@code await} are for the one
 * thread that owns the launcher (usually main); {@link #stop()} and the
 * signal entry are thread-safe.
 *
 * <p>Lifecycle:
 * <pre>
 * NEW -> RUNNING       // await(): every service starts, each on its hub
 * RUNNING -> STOPPING  // SIGTERM/SIGINT, stop(), or a failed service
 * STOPPING -> DONE     // every service stopped (await returns its status),
 *                      // or the graceful timeout passed (EXIT_FAILURE)
 * </pre>
 *
 * <p>Implementation overview: {@code await()} runs a control loop in the
 * calling thread's main greenlet. Every event — a signal, {@code stop()},
 * a service started or finished — is a {@link Command} in a lock-free
 * queue, and the poster wakes the loop's greenlet ({@code Greenlet.wake},
 * thread-safe); so the loop alone owns the launcher's state, and a wake-up
 * cannot be lost because a wake before the park makes the park return. Each
 * service has a {@link ServiceRunner} on its own hub; the loop talks to it
 * only through the runner's thread-safe requests. The graceful timeout is
 * measured on the control hub's clock (a virtual one in tests).
 */
public final class ServiceLauncher {
    /** {@link #await()}'s status after a graceful stop. */
    public static final int EXIT_OK = 0;
    /** {@link #await()}'s status after a failure, a shutdown timeout or a forced stop. */
    public static final int EXIT_FAILURE = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);
    /** Seconds the services killed after the graceful timeout get to end before await() returns anyway. */
    private static final double KILL_GRACE_SECONDS = 5;

    private final ConfigOpts conf;
    private final List<ServiceRunner> runners = new ArrayList<>();
    private final List<ServiceRunner> onAwaitingHub = new ArrayList<>();
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private final AtomicLong signals = new AtomicLong();
    private final long created = System.nanoTime();
    /** The greenlet running the control loop (await's caller), woken by every post; null before await. */
    private volatile Greenlet control;
    /** The hub of the control loop (await's caller); null before await. */
    private volatile Hub controlHub;
    /** systemd's readiness notifications; disabled unless NOTIFY_SOCKET is set. */
    private SystemdNotifier systemd;
    /** The metrics the configuration asks for (endpoint, oslo.metrics sender); closed when await ends. */
    private LauncherMetrics metrics;
    private volatile boolean awaited;
    private long reloads;
    private long failedReloads;
    private long reports;

    /** What the control loop is told. */
    sealed interface Command {
        /** Stop every service; {@code bySignal} makes a second one force the stop. */
        record Stop(String why, boolean bySignal) implements Command {
        }

        /** Reload the configuration files and reset the services. */
        record Reload() implements Command {
        }

        /** Log a Guru Meditation Report. */
        record Report() implements Command {
        }

        /** A runner's service started. */
        record Started(ServiceRunner runner) implements Command {
        }

        /** A runner ended; {@code failure} is null after a clean stop. */
        record Done(ServiceRunner runner, Throwable failure) implements Command {
        }
    }

    /** A launcher for services configured by {@code conf} (its {@code service} group and reloads). */
    public ServiceLauncher(ConfigOpts conf) {
        this.conf = Objects.requireNonNull(conf, "conf");
    }

    /** Runs {@code service} on the hub of the thread that calls {@link #await()}. */
    public void launchService(Service service) {
        Objects.requireNonNull(service, "service");
        checkNotAwaited();
        ServiceRunner r = new ServiceRunner("service " + (runners.size() + 1), () -> service, this);
        runners.add(r);
        onAwaitingHub.add(r);
    }

    /**
     * Runs {@code workers} instances of a service, each made by
     * {@code factory} on its own OS thread and hub.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public void launchService(Supplier<? extends Service> factory, int workers) {
        Objects.requireNonNull(factory, "factory");
        if (workers < 1) {
            throw new IllegalArgumentException("workers = " + workers + " is not valid: must be >= 1");
        }
        checkNotAwaited();
        int first = runners.size() + 1;
        for (int i = 0; i < workers; i++) {
            runners.add(new ServiceRunner("worker " + (first + i), factory, this));
        }
    }

    /**
     * Starts every launched service and blocks (running the calling
     * thread's hub) until all have stopped; returns the exit status (see the
     * class comment). May be called once.
     */
    public int await() {
        synchronized (this) {
            if (awaited) {
                throw new IllegalStateException("ServiceLauncher.await() may be called once");
            }
            awaited = true;
        }
        Hub hub = Hub.get();
        control = Greenlet.current();
        controlHub = hub;
        SignalDispatcher.register(this);
        double began = hub.clock();
        systemd = SystemdNotifier.fromEnvironment();
        Operability.bindTransportEvents();
        HubMonitor.global().attach(hub, Thread.currentThread().getName());
        try {
            try {
                metrics = LauncherMetrics.start(conf);
            } catch (RuntimeException e) {
                // A metrics endpoint that cannot serve (a bad or taken prometheus_bind) ends the start, named.
                LOG.error("Cannot start: {}", e.getMessage());
                return EXIT_FAILURE;
            }
            if (runners.isEmpty()) {
                LOG.warn("No service was launched; nothing to run");
                return EXIT_OK;
            }
            LOG.info("Starting {} service instance(s): {} on this thread's hub, {} on worker threads",
                    runners.size(), onAwaitingHub.size(), runners.size() - onAwaitingHub.size());
            if (commands.stream().anyMatch(c -> c instanceof Command.Stop)) {
                requestStop(true); // stop() came before await(): no service is even made
            }
            for (ServiceRunner r : runners) {
                if (onAwaitingHub.contains(r)) {
                    Eventlet.spawnN(r::run);
                } else {
                    // Carriers started apart: two hubs' switches must not share a cache line.
                    CarrierThreads.start("jeventlet-" + r.name().replace(' ', '-'), true, () -> runOnOwnHub(r));
                }
            }
            return controlLoop(hub, began);
        } finally {
            SignalDispatcher.unregister(this);
            HubMonitor.global().detach(hub);
            systemd.close();
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    /**
     * Stops every service gracefully, as SIGTERM does; {@link #await()} then
     * returns. Thread-safe; before {@code await()} it makes {@code await()}
     * stop at once.
     */
    public void stop() {
        post(new Command.Stop("stop() called", false));
    }

    /** Called by the signal dispatcher with the signal's JDK name (TERM, INT, HUP, USR2). Thread-safe. */
    void signal(String name) {
        signals.incrementAndGet();
        switch (name) {
            case "TERM", "INT" -> post(new Command.Stop("SIG" + name, true));
            case "HUP" -> post(new Command.Reload());
            case "USR2" -> post(new Command.Report());
            default -> LOG.warn("SIG{} is not handled by the service launcher", name);
        }
    }

    /** The hub that runs the control loop, or null before {@link #await()}. Thread-safe. */
    Hub controlHub() {
        return controlHub;
    }

    void started(ServiceRunner runner) {
        post(new Command.Started(runner));
    }

    void done(ServiceRunner runner, Throwable failure) {
        post(new Command.Done(runner, failure));
    }

    private void post(Command command) {
        commands.add(command);
        Greenlet g = control;
        if (g != null) {
            g.wake();
        }
    }

    private static void runOnOwnHub(ServiceRunner runner) {
        // The first blocking call makes this OS thread's hub and runs it until the runner ends.
        Eventlet.spawn(runner::run).await();
    }

    private int controlLoop(Hub hub, double began) {
        int status = EXIT_OK;
        int live = runners.size();
        int started = 0;
        boolean stopping = false;
        boolean forced = false;
        boolean exitNow = false;
        double stopBegan = 0;
        double deadline = Double.POSITIVE_INFINITY;
        Greenlet me = Greenlet.current();
        while (true) {
            for (Command c; (c = commands.poll()) != null; ) {
                switch (c) {
                    case Command.Started s -> {
                        if (++started == runners.size() && !stopping) {
                            LOG.info("Launcher started {} service instance(s) in {} s", started,
                                    ServiceRunner.seconds(hub.clock() - began));
                            systemd.ready("Running " + started + " service instance(s)");
                            double limit = Math.max(systemd.watchdogIntervalSeconds(), HubMonitor.PROBE_PERIOD_SECONDS);
                            systemd.startWatchdog(() -> HubMonitor.global().responsive(limit));
                        }
                    }
                    case Command.Done d -> {
                        live--;
                        if (d.failure() != null) {
                            status = EXIT_FAILURE;
                            if (!stopping) {
                                LOG.error("{} failed; stopping the other services", d.runner().name());
                                stopping = true;
                                systemd.stopping(d.runner().name() + " failed; stopping the other services");
                                stopBegan = hub.clock();
                                deadline = stopBegan + conf.get(ServiceOpts.GRACEFUL_SHUTDOWN_TIMEOUT);
                                requestStop(true);
                            }
                        }
                    }
                    case Command.Stop s -> {
                        if (!stopping) {
                            stopping = true;
                            stopBegan = hub.clock();
                            double timeout = conf.get(ServiceOpts.GRACEFUL_SHUTDOWN_TIMEOUT);
                            deadline = stopBegan + timeout;
                            LOG.info("{}: stopping {} service instance(s) gracefully (up to {} s)", s.why(), live,
                                    ServiceRunner.seconds(timeout));
                            systemd.stopping(s.why() + ": stopping " + live + " service instance(s)");
                            requestStop(true);
                        } else if (s.bySignal() && s.why().equals("SIGINT")) {
                            // oslo's fast exit: an operator's second Ctrl-C ends the process now.
                            status = EXIT_FAILURE;
                            LOG.warn("SIGINT during the graceful shutdown: killing the services and exiting at once");
                            requestStop(false);
                            exitNow = true;
                        } else if (s.bySignal() && !forced) {
                            forced = true;
                            status = EXIT_FAILURE;
                            LOG.warn("{} during the graceful shutdown: stopping at once", s.why());
                            requestStop(false);
                            deadline = Math.min(deadline, hub.clock() + KILL_GRACE_SECONDS);
                        }
                    }
                    case Command.Reload r -> Eventlet.spawnN(this::reload);
                    case Command.Report r -> {
                        reports++;
                        LOG.warn("Guru Meditation Report (SIGUSR2):\n{}", report(hub));
                    }
                }
            }
            if (live == 0) {
                break;
            }
            if (exitNow) {
                LOG.warn("{} service instance(s) still stopping; not waiting for them", live);
                break;
            }
            double wait = deadline - hub.clock();
            if (wait <= 0 && forced) {
                LOG.error("{} service instance(s) still running after being stopped at once; giving up on them", live);
                break;
            }
            if (wait <= 0) {
                status = EXIT_FAILURE;
                StringBuilder still = new StringBuilder();
                for (ServiceRunner r : runners) {
                    if (r.state() != ServiceRunner.State.STOPPED && r.state() != ServiceRunner.State.FAILED) {
                        still.append("\n").append(r).append(r.hub() == null ? "" : "\n" + r.hub().dump());
                    }
                }
                LOG.error("Graceful shutdown timeout ({} s) exceeded; still running:{}",
                        ServiceRunner.seconds(conf.get(ServiceOpts.GRACEFUL_SHUTDOWN_TIMEOUT)), still);
                // Nothing is left behind: what ignored the graceful stop is killed, and gets a
                // short grace to run its finally blocks before the launcher gives up on it.
                forced = true;
                requestStop(false);
                deadline = hub.clock() + KILL_GRACE_SECONDS;
                continue;
            }
            // A foreign park: the wake-ups come from other OS threads (signals, workers), so the
            // hub must not take the wait for a deadlock. A command posted before the park leaves
            // the greenlet woken (or its permit set), so the park returns at once: none is lost.
            Timer timer = wait == Double.POSITIVE_INFINITY ? null : hub.scheduleCallGlobal(wait, me::wake);
            try {
                me.parkForeign();
            } finally {
                if (timer != null) {
                    timer.cancel();
                }
            }
        }
        LOG.info("Launcher stopped with status {} in {} s (ran {} s)", status,
                ServiceRunner.seconds(stopping ? hub.clock() - stopBegan : 0), ServiceRunner.seconds(hub.clock() - began));
        return status;
    }

    private void requestStop(boolean graceful) {
        for (ServiceRunner r : runners) {
            r.requestStop(graceful);
        }
    }

    /** In a green thread of the control hub. */
    private void reload() {
        Hub hub = Hub.get();
        double began = hub.clock();
        LOG.info("SIGHUP: reloading the configuration files");
        systemd.reloading("Reloading the configuration files");
        Map<String, ConfigChange> changes;
        try {
            changes = conf.reload();
        } catch (ConfigValidationException e) {
            failedReloads++;
            LOG.error("{}", e.getMessage());
            systemd.ready("Reload failed; the old configuration stays: " + firstLine(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            failedReloads++;
            LOG.error("Reload failed; the old configuration stays", e);
            systemd.ready("Reload failed; the old configuration stays: " + e);
            return;
        }
        reloads++;
        try {
            LoggingSetup.reapply(conf);
        } catch (RuntimeException e) {
            LOG.error("Reloaded, but the log options could not be applied: {}", e.getMessage());
        }
        for (ServiceRunner r : runners) {
            r.requestReset();
        }
        if (conf.get(ServiceOpts.LOG_OPTIONS)) {
            conf.logOptions();
        }
        LOG.info("Reloaded the configuration in {} s ({} option(s) changed: {})",
                ServiceRunner.seconds(hub.clock() - began), changes.size(), changes.keySet());
        systemd.ready("Reloaded the configuration (" + changes.size() + " option(s) changed)");
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    private String report(Hub hub) {
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("service instances", runners.size());
        counters.put("on worker threads", runners.size() - onAwaitingHub.size());
        counters.put("signals received", signals.get());
        counters.put("reloads", reloads);
        counters.put("failed reloads", failedReloads);
        counters.put("reports", reports);
        counters.put("signals handled by this JVM", SignalDispatcher.handled());
        for (ServiceRunner r : runners) {
            Service s = r.service();
            if (s != null && r.hub() == hub) {
                counters.put(r.name() + " threads", s.threadGroup().threadCount());
            }
        }
        return GuruMeditationReport.build(conf, hub, runners, (System.nanoTime() - created) / 1e9, counters);
    }

    private void checkNotAwaited() {
        if (awaited) {
            throw new IllegalStateException("launchService after await(): launch every service before awaiting");
        }
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.conf.Opt;
import io.jeventlet.Eventlet;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.NotifyOpts;
import io.jeventlet.service.ServiceOpts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo runs, in one of two forms: every part in this JVM on
 * {@code inproc://} ({@link #inProcess}), or each part its own process
 * ({@link #processes}): a ZeroMQ proxy (unless a transport URL is given),
 * the plugin simulator and the agents, each a child JVM of this one whose
 * output goes to a log file.
 *
 * <p>Guarantees: {@link #close()} stops every part it started, on every
 * path: children get SIGTERM, then SIGKILL after {@link #STOP_GRACE}
 * seconds; each child also watches this process and exits when it dies
 * ({@link ExitWithParent}), so none is left behind even after a SIGKILL of
 * the demo.
 *
 * <p>Thread rule: confined to the demo's main thread (and its hub).
 */
abstract class DemoParts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoParts.class);

    /** Seconds a child gets to stop after SIGTERM before it is killed. */
    static final long STOP_GRACE = 15;

    /** util-linux's setsid, which runs a program in a new session (same pid when it need not fork). */
    static final Path SETSID = Path.of("/usr/bin/setsid");

    /** Seconds the proxy gets to bind and log its port. */
    static final double PROXY_START_SECONDS = 60;
    /** Seconds the plugin simulator gets to serve. */
    static final double PLUGIN_START_SECONDS = 60;
    /** The proxy's line saying where it listens. */
    static final java.util.regex.Pattern LISTENING = java.util.regex.Pattern.compile("listening on tcp://[^\\s:]+:(\\d+)");

    /** The proxy's main class (the zmq driver's). */
    static final String PROXY_MAIN = "io.jeventlet.rpc.zmq.ZmqProxyMain";

    /** Starts every part; returns once each has been started (not necessarily reported). */
    abstract void start();

    /** The transport the demo's coordinator talks on. */
    abstract Transport transport();

    /** The agents' hosts. */
    abstract List<String> hosts();

    /** One line saying what runs where. */
    abstract String describe();

    /** Where the parts' logs are, or null when they log to this process's stderr. */
    abstract Path logs();

    @Override
    public abstract void close();

    /** Every part in this JVM, on this hub, over {@code inproc://demo}. */
    static DemoParts inProcess(ConfigOpts conf, int agents) {
        // The workload starts once every agent has reported (DemoRun.startWorkload).
        PluginSimulator plugin = PluginSimMain.simulator(conf, WallClock.SYSTEM, 0);
        L3AgentConfig template = L3AgentConfig.from(conf, "agent");
        InProcessDeployment d = new InProcessDeployment("demo", agents, template, plugin,
                conf.get(RpcOpts.RESPONSE_TIMEOUT), true, WallClock.SYSTEM);
        return new DemoParts() {
            @Override
            String describe() {
                return "the plugin simulator and " + agents + " agents in this JVM on inproc://demo";
            }

            @Override
            void start() {
                d.start();
            }

            @Override
            Transport transport() {
                return d.transport();
            }

            @Override
            List<String> hosts() {
                return d.hosts();
            }

            @Override
            Path logs() {
                return null;
            }

            @Override
            public void close() {
                d.close();
            }
        };
    }

    /**
     * Each part its own child JVM: a proxy on a free loopback port when
     * {@code transportUrl} is null, the plugin simulator, and {@code agents}
     * agents; {@code configFiles} are handed to each.
     */
    static DemoParts processes(ConfigOpts conf, int agents, String transportUrl, List<Path> configFiles) {
        return new ChildProcesses(conf, agents, transportUrl, configFiles);
    }

    /** The child-process form. */
    private static final class ChildProcesses extends DemoParts {
        private final ConfigOpts conf;
        private final List<String> hosts = new ArrayList<>();
        private final List<Path> configFiles;
        private final List<Process> children = new ArrayList<>();
        private final Path logDir;
        private String url;
        private final boolean ownProxy;
        private Transport transport;

        ChildProcesses(ConfigOpts conf, int agents, String transportUrl, List<Path> configFiles) {
            this.conf = conf;
            this.configFiles = List.copyOf(configFiles);
            for (int i = 1; i <= agents; i++) {
                hosts.add("agent-" + i);
            }
            this.ownProxy = transportUrl == null;
            this.url = transportUrl;
            try {
                this.logDir = Files.createTempDirectory("jeventlet-demo-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the demo's logs", e);
            }
        }

        @Override
        void start() {
            if (ownProxy) {
                // Port 0: the proxy binds a free port itself and logs it, so no other process can take it first.
                Path log = spawn("proxy", PROXY_MAIN, List.of("--rpc_zmq.bind_address=127.0.0.1",
                        "--rpc_zmq.proxy_port=0"));
                url = "zmq://127.0.0.1:" + awaitProxyPort(children.getLast(), log);
            }
            List<String> pluginArgs = new ArrayList<>(common());
            // The workload starts once every agent has reported (DemoRun.startWorkload).
            pluginArgs.add("--" + L3AgentOpts.UPDATE_RATE.key() + "=0");
            pluginArgs.addAll(DemoMain.childOptions(conf, List.<Opt<?>>of(L3AgentOpts.AGENT_DOWN_TIME,
                    L3AgentOpts.ROUTERS, L3AgentOpts.SEED, L3AgentOpts.DROP_REPLY_PERCENT,
                    L3AgentOpts.REPLY_DELAY, L3AgentOpts.SILENT_AFTER, L3AgentOpts.SILENT_FOR,
                    L3AgentOpts.MALFORMED_ROUTER_PERCENT)));
            Path pluginLog = spawn("plugin-sim", PluginSimMain.class.getName(), pluginArgs);
            ConfigOpts coordinator = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, url)
                    .override(RpcOpts.RESPONSE_TIMEOUT, conf.get(RpcOpts.RESPONSE_TIMEOUT)).load();
            transport = Transport.create(coordinator);
            // The agents start once the plugin serves, so that their first report finds it.
            awaitPlugin(children.getLast(), pluginLog);
            for (String host : hosts) {
                List<String> args = new ArrayList<>(common());
                args.add("--agent.host=" + host);
                args.add("--" + NotifyOpts.DRIVER.key() + "=messagingv2");
                args.addAll(DemoMain.childOptions(conf, List.<Opt<?>>of(L3AgentOpts.REPORT_INTERVAL,
                        ServiceOpts.PERIODIC_INTERVAL, ServiceOpts.PERIODIC_FUZZY_DELAY, L3AgentOpts.OPERATION_LATENCY)));
                spawn(host, L3AgentMain.class.getName(), args);
            }
        }

        /** Waits (bounded) until the plugin answers a status call. */
        private void awaitPlugin(Process plugin, Path log) {
            RpcClient client = new RpcClient(transport, new Target(L3PluginEndpoint.TOPIC)
                    .withNamespace(DemoStatusEndpoint.NAMESPACE)).withTimeout(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) PLUGIN_START_SECONDS);
            while (true) {
                try {
                    client.call(Context.empty(), "demo_status", java.util.Map.of());
                    return;
                } catch (MessagingException e) {
                    if (!plugin.isAlive()) {
                        throw new IllegalStateException("the plugin simulator exited with status " + plugin.exitValue()
                                + " at start; see " + log);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the plugin simulator did not serve within "
                                + PLUGIN_START_SECONDS + " s; see " + log);
                    }
                    Eventlet.sleep(0.2);
                }
            }
        }

        @Override
        String describe() {
            return "started " + (ownProxy ? "a proxy, " : "") + "the plugin simulator and " + hosts.size()
                    + " agents as processes on " + transport.url() + "; their logs are in " + logDir;
        }

        private List<String> common() {
            List<String> args = new ArrayList<>();
            configFiles.forEach(f -> args.add("--config-file=" + f.toAbsolutePath()));
            args.add("--rpc.transport_url=" + url);
            args.add("--rpc.response_timeout=" + conf.get(RpcOpts.RESPONSE_TIMEOUT));
            return args;
        }

        /** Waits (bounded) for the proxy's "listening on tcp://HOST:PORT" line and returns the port. */
        private static int awaitProxyPort(Process proxy, Path log) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) PROXY_START_SECONDS);
            while (System.nanoTime() < deadline) {
                try {
                    java.util.regex.Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                    if (!proxy.isAlive()) {
                        throw new IllegalStateException("the proxy exited with status " + proxy.exitValue()
                                + " at start; see " + log);
                    }
                    Thread.sleep(50);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the proxy's log " + log, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new IllegalStateException("the proxy did not say where it listens within " + PROXY_START_SECONDS
                    + " s; see " + log);
        }

        private Path spawn(String name, String mainClass, List<String> args) {
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                // A session of its own: Ctrl-C reaches the demo alone, which then stops the children in order.
                cmd.add(SETSID.toString());
            }
            cmd.addAll(List.of(javaBinary(), "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "-Djdk.trackAllThreads=false", "-cp", System.getProperty("java.class.path"),
                    ExitWithParent.class.getName(), mainClass));
            cmd.addAll(args);
            Path log = logDir.resolve(name + ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
                children.add(p);
                return log;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + " (" + mainClass + ")", e);
            }
        }

        @Override
        Transport transport() {
            return transport;
        }

        @Override
        List<String> hosts() {
            return hosts;
        }

        @Override
        Path logs() {
            return logDir;
        }

        /** Stops the agents and the plugin, then the proxy they talk through. */
        @Override
        public void close() {
            if (transport != null) {
                transport.close();
            }
            List<Process> services = new ArrayList<>(children);
            Process proxy = ownProxy && !services.isEmpty() ? services.removeFirst() : null;
            stop(services);
            if (proxy != null) {
                stop(List.of(proxy));
            }
        }

        /** SIGTERM to each, then waits for all; SIGKILL to one still running after {@link #STOP_GRACE} s. */
        private static void stop(List<Process> processes) {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                try {
                    if (!p.waitFor(STOP_GRACE, TimeUnit.SECONDS)) {
                        LOG.warn("process {} did not stop within {} s of SIGTERM; killing it", p.pid(), STOP_GRACE);
                        p.destroyForcibly();
                        p.waitFor(STOP_GRACE, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** True if the ZeroMQ proxy's main class is on the class path. */
    static boolean proxyAvailable() {
        try {
            Class.forName(PROXY_MAIN, false, DemoParts.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

}

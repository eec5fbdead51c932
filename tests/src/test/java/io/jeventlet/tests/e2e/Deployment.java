package io.jeventlet.tests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.sample.l3.DemoStatusEndpoint;
import io.jeventlet.sample.l3.L3AgentEndpoint;
import io.jeventlet.sample.l3.L3PluginEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The sample deployment as separate processes for the end-to-end tests: a
 * ZeroMQ proxy (or a broker URL), the plugin simulator and N L3 agents,
 * each a {@link ChildJvm} with short intervals; and a client in this JVM
 * that learns everything over the bus with the demo's status calls.
 *
 * <p>The plugin reads {@code plugin.update_rate} from a configuration file
 * the tests rewrite and SIGHUP, so a workload can be paused and resumed
 * without a restart.
 *
 * <p>Thread rule: not thread-safe; a test class's main thread owns it.
 */
final class Deployment implements AutoCloseable {
    /**
     * Seconds an agent may stay silent before the plugin declares it down:
     * short, so a killed agent's routers move within the tests' waits. A
     * scenario whose agent must stay up at the plugin across a restart
     * raises it for its duration ({@link #setAgentDownTime}).
     */
    static final double AGENT_DOWN_TIME = 3;
    /** Seconds between two state reports. */
    static final String REPORT_INTERVAL = "500ms";
    /** Seconds a child takes to start and answer over the bus, at most (2 shared cores, cold JVMs). */
    static final double START_SECONDS = 40;
    /**
     * Seconds a test class's {@code @BeforeAll} may take to start a deployment and see it
     * converge: the proxy, the plugin and the agents each start within {@link #START_SECONDS},
     * then registration and a first convergence. JUnit's default (60 s) bounds lifecycle
     * methods too, and a deployment start on a loaded machine has run past it.
     */
    static final long START_TIMEOUT = 180;

    private static final Pattern LISTENING = Pattern.compile("zmq proxy listening on tcp://127\\.0\\.0\\.1:(\\d+)");

    private final Path dir;
    /** The bus; for a zmq deployment set once the proxy has bound its port. */
    private String url;
    /** The proxy's port: 0 until its first start binds one of its choosing, then kept for restarts; -1 for no proxy. */
    private int proxyPort;
    private final Path pluginConf;
    private List<String> pluginArgs;
    private final List<String> agentArgs;
    private final List<String> agentJvmArgs;
    private final Map<String, ChildJvm> agents = new LinkedHashMap<>();
    private final List<ChildJvm> all = new ArrayList<>();
    private ChildJvm proxy;
    private ChildJvm plugin;
    private Transport transport;
    private RpcClient pluginClient;
    private RpcClient agentClient;
    private double rate = Double.NaN;
    private double agentDownTime = AGENT_DOWN_TIME;

    private Deployment(Path dir, String url, int proxyPort, List<String> pluginArgs, List<String> agentArgs,
            List<String> agentJvmArgs) {
        this.agentJvmArgs = agentJvmArgs;
        this.dir = dir;
        this.url = url;
        this.proxyPort = proxyPort;
        this.pluginConf = dir.resolve("plugin.conf");
        this.pluginArgs = pluginArgs;
        this.agentArgs = agentArgs;
    }

    /**
     * A deployment over a ZeroMQ proxy on a port of 127.0.0.1 the proxy picks
     * itself (so no other process can take it between choice and bind), started:
     * proxy, then the plugin with {@code pluginArgs} at {@code rate} changes
     * per second, then {@code agents} agents with {@code agentArgs}; returns
     * once each answers over the bus.
     */
    static Deployment zmq(String name, int agents, double rate, List<String> pluginArgs, List<String> agentArgs) {
        return zmq(name, agents, rate, pluginArgs, agentArgs, List.of());
    }

    /** As above, the agents' JVMs also given {@code agentJvmArgs} (system properties). */
    static Deployment zmq(String name, int agents, double rate, List<String> pluginArgs, List<String> agentArgs,
            List<String> agentJvmArgs) {
        return start(name, null, 0, agents, rate, pluginArgs, agentArgs, agentJvmArgs);
    }

    /** As {@link #zmq}, on an existing bus at {@code url} (no proxy process). */
    static Deployment onBus(String name, String url, int agents, double rate, List<String> pluginArgs,
            List<String> agentArgs) {
        return start(name, url, -1, agents, rate, pluginArgs, agentArgs, List.of());
    }

    private static Deployment start(String name, String url, int port, int agents, double rate,
            List<String> pluginArgs, List<String> agentArgs, List<String> agentJvmArgs) {
        Path dir;
        try {
            dir = Files.createDirectories(Path.of("target", "e2e", name + "-" + System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Deployment d = new Deployment(dir, url, port, pluginArgs, agentArgs, agentJvmArgs);
        try {
            if (port >= 0) {
                d.startProxy();
            }
            d.transport = Transport.create(d.url);
            d.pluginClient = new RpcClient(d.transport, new Target(L3PluginEndpoint.TOPIC)
                    .withNamespace(DemoStatusEndpoint.NAMESPACE))
                    .withTimeout(5);
            d.agentClient = new RpcClient(d.transport, new Target(L3AgentEndpoint.TOPIC)
                    .withNamespace(DemoStatusEndpoint.NAMESPACE))
                    .withTimeout(5);
            d.rate = rate;
            d.writePluginConf();
            d.startPlugin();
            List<String> hosts = new ArrayList<>();
            for (int i = 1; i <= agents; i++) {
                hosts.add("agent-" + i);
            }
            d.startAgents(hosts);
            d.awaitRegistered();
            return d;
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    // ---- the processes ------------------------------------------------------------------------

    /**
     * Starts (or restarts) the proxy ({@code ZmqProxyMain}) on the deployment's port; returns once it listens.
     * The first start binds port 0 and reads the port the proxy picked from its log.
     */
    void startProxy() {
        proxy = track(ChildJvm.start("proxy", dir, "io.jeventlet.rpc.zmq.ZmqProxyMain", List.of(),
                List.of("--port=" + proxyPort, "--service.graceful_shutdown_timeout=5s")));
        if (proxyPort == 0) {
            proxyPort = Integer.parseInt(proxy.awaitMatch(LISTENING, START_SECONDS));
            url = "zmq://127.0.0.1:" + proxyPort;
        } else {
            proxy.awaitLog(LISTENING.pattern().replace("(\\d+)", Integer.toString(proxyPort)), START_SECONDS);
        }
    }

    /** Starts (or restarts) the plugin simulator; returns once it answers {@code demo_status}. */
    void startPlugin() {
        List<String> args = new ArrayList<>(common());
        args.add("--config-file=" + pluginConf.toAbsolutePath());
        args.addAll(pluginArgs);
        plugin = track(ChildJvm.start("plugin", dir, "io.jeventlet.sample.l3.PluginSimMain", List.of(), args));
        plugin.await(START_SECONDS, () -> answers(() -> pluginStatus()), "an answer to demo_status");
    }

    /**
     * Stops the plugin (SIGTERM, exit 0 expected) and starts it again with
     * {@code args} instead of its first ones; returns once it answers.
     */
    void restartPlugin(List<String> args) {
        plugin.signal("TERM");
        int status = plugin.awaitExit(20);
        if (status != 0) {
            throw new AssertionError("the plugin exited with " + status + " after SIGTERM\n" + plugin.tail(30));
        }
        pluginArgs = List.copyOf(args);
        startPlugin();
    }

    /** Starts (or restarts) agent {@code host}; returns once it answers {@code demo_status}. */
    ChildJvm startAgent(String host) {
        startAgents(List.of(host));
        return agents.get(host);
    }

    /** Starts (or restarts) the agents {@code hosts} together; returns once each answers {@code demo_status}. */
    void startAgents(List<String> hosts) {
        for (String host : hosts) {
            launchAgent(host);
        }
        for (String host : hosts) {
            agents.get(host).await(START_SECONDS, () -> answers(() -> agentStatus(host)), "an answer to demo_status");
        }
    }

    /**
     * Starts an agent whose host and report interval come from the
     * configuration file {@code conf} (so that a SIGHUP re-reads them);
     * returns once it answers as {@code host}.
     */
    ChildJvm startAgentFromFile(String host, Path conf) {
        launchAgent(host, List.of("--config-file=" + conf.toAbsolutePath()));
        ChildJvm a = agents.get(host);
        a.await(START_SECONDS, () -> answers(() -> agentStatus(host)), "an answer to demo_status");
        return a;
    }

    /** Stops agent {@code host} (if running) and leaves it out of the deployment's checks from now on. */
    void forget(String host) {
        ChildJvm a = agents.remove(host);
        if (a != null) {
            a.close();
        }
    }

    private void launchAgent(String host) {
        launchAgent(host, List.of("--agent.host=" + host, "--agent.report_interval=" + REPORT_INTERVAL));
    }

    private void launchAgent(String host, List<String> identity) {
        List<String> args = new ArrayList<>(common());
        args.addAll(identity);
        args.add("--service.periodic_interval=1s");
        args.add("--service.periodic_fuzzy_delay=0s");
        args.addAll(agentArgs);
        ChildJvm a = track(ChildJvm.start(host, dir, "io.jeventlet.sample.l3.L3AgentMain", agentJvmArgs, args));
        agents.put(host, a);
    }

    private List<String> common() {
        return List.of("--rpc.transport_url=" + url, "--rpc.response_timeout=2s",
                "--service.graceful_shutdown_timeout=5s");
    }

    private ChildJvm track(ChildJvm c) {
        all.add(c);
        return c;
    }

    private static boolean answers(Runnable call) {
        try {
            call.run();
            return true;
        } catch (MessagingException e) {
            return false;
        }
    }

    /** Restarts every agent whose process has ended, then waits until the plugin lists all alive. */
    void ensureAgents() {
        List<String> dead = agents.entrySet().stream().filter(e -> !e.getValue().alive()).map(Map.Entry::getKey)
                .toList();
        if (!dead.isEmpty()) {
            startAgents(dead);
        }
        awaitRegistered();
    }

    /** Waits until the plugin lists every running agent as alive. */
    void awaitRegistered() {
        Polling.until(START_SECONDS, 100, () -> {
            Map<?, ?> known = (Map<?, ?>) pluginStatus().get("agents");
            for (String host : agents.keySet()) {
                if (!(known.get(host) instanceof Map<?, ?> a) || !Boolean.TRUE.equals(a.get("alive"))) {
                    return host + " not registered alive at the plugin: " + known.keySet();
                }
            }
            return null;
        }, this::tails);
    }

    /** Sets the plugin's change rate: rewrites its configuration file and sends SIGHUP; returns once applied. */
    void setRate(double rate) {
        if (rate == this.rate) {
            return;
        }
        long before = plugin.count("changes/s from now on");
        this.rate = rate;
        writePluginConf();
        plugin.signal("HUP");
        plugin.await(20, () -> plugin.count("changes/s from now on") > before, "the new update_rate applied");
    }

    /**
     * Sets the plugin's {@code agent_down_time}: rewrites its configuration
     * file and sends SIGHUP; returns once applied. A restart that must not
     * make the plugin move an agent's routers away raises it above the
     * longest restart ({@link #START_SECONDS}): a loaded machine takes
     * longer than the usual few seconds to restart a JVM.
     */
    void setAgentDownTime(double seconds) {
        if (seconds == agentDownTime) {
            return;
        }
        long before = plugin.count("agent_down_time is .* from now on");
        agentDownTime = seconds;
        writePluginConf();
        plugin.signal("HUP");
        plugin.await(20, () -> plugin.count("agent_down_time is .* from now on") > before,
                "the new agent_down_time applied");
    }

    /** The plugin's mutable options, in the configuration file it reloads on SIGHUP. */
    private void writePluginConf() {
        try {
            Files.writeString(pluginConf, "plugin.update_rate = " + rate + "\nplugin.agent_down_time = "
                    + Math.round(agentDownTime * 1000) + "ms\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ChildJvm proxy() {
        return proxy;
    }

    ChildJvm plugin() {
        return plugin;
    }

    ChildJvm agent(String host) {
        return agents.get(host);
    }

    List<String> hosts() {
        return List.copyOf(agents.keySet());
    }

    Path dir() {
        return dir;
    }

    // ---- over the bus -------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    Map<String, Object> pluginStatus() {
        return (Map<String, Object>) pluginClient.call(Context.empty(), "demo_status", Map.of());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> agentStatus(String host) {
        return (Map<String, Object>) agentClient.withServer(host).call(Context.empty(), "demo_status", Map.of());
    }

    static long num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** Routers by id with their revision, from a status's {@code routers} entry. */
    static Map<String, Long> revisions(Object wire) {
        Map<String, Long> out = new TreeMap<>();
        if (wire instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Number n ? n.longValue() : -1L));
        }
        return out;
    }

    /** The routers the plugin schedules to each agent it lists alive. */
    Map<String, Map<String, Long>> schedule(Map<String, Object> pluginStatus) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        ((Map<?, ?>) pluginStatus.get("agents")).forEach((host, a) -> {
            Map<?, ?> agent = (Map<?, ?>) a;
            if (Boolean.TRUE.equals(agent.get("alive"))) {
                out.put(String.valueOf(host), revisions(agent.get("routers")));
            }
        });
        return out;
    }

    /**
     * Null when every running agent is idle, has no full sync due and holds
     * exactly the routers (and revisions) the plugin schedules to it, and the
     * plugin has every router scheduled; else what differs.
     */
    String divergence() {
        Map<String, Object> p;
        try {
            p = pluginStatus();
        } catch (MessagingException e) {
            return "plugin: no status (" + e + ")";
        }
        List<String> diffs = new ArrayList<>();
        if (num(p, "unscheduled") != 0) {
            diffs.add("plugin: " + num(p, "unscheduled") + " routers unscheduled");
        }
        Map<String, Map<String, Long>> schedule = schedule(p);
        for (String host : agents.keySet()) {
            if (!agents.get(host).alive()) {
                continue;
            }
            Map<String, Object> s;
            try {
                s = agentStatus(host);
            } catch (MessagingException e) {
                diffs.add(host + ": no status (" + e + ")");
                continue;
            }
            String d = difference(host, revisions(s.get("routers")), schedule.getOrDefault(host, Map.of()));
            if (d != null) {
                diffs.add(d);
            } else if (!Boolean.TRUE.equals(s.get("idle")) || Boolean.TRUE.equals(s.get("fullsync"))) {
                diffs.add(host + ": busy (idle=" + s.get("idle") + ", fullsync=" + s.get("fullsync") + ")");
            }
        }
        return diffs.isEmpty() ? null : String.join("\n", diffs);
    }

    /** What agent {@code host} holds that differs from what the plugin schedules to it; null if nothing. */
    static String difference(String host, Map<String, Long> has, Map<String, Long> wanted) {
        TreeSet<String> missing = new TreeSet<>(wanted.keySet());
        missing.removeAll(has.keySet());
        TreeSet<String> extra = new TreeSet<>(has.keySet());
        extra.removeAll(wanted.keySet());
        List<String> stale = new ArrayList<>();
        wanted.forEach((id, rev) -> {
            Long mine = has.get(id);
            if (mine != null && !mine.equals(rev)) {
                stale.add(id + "@" + mine + "<" + rev);
            }
        });
        if (missing.isEmpty() && extra.isEmpty() && stale.isEmpty()) {
            return null;
        }
        return host + ": " + has.size() + " routers, plugin schedules " + wanted.size() + "; missing " + head(missing)
                + ", extra " + head(extra) + ", stale " + head(stale);
    }

    private static String head(java.util.Collection<String> c) {
        List<String> l = new ArrayList<>(c);
        return l.size() <= 8 ? l.toString() : l.subList(0, 8) + " (+" + (l.size() - 8) + ")";
    }

    /** Pauses the workload and waits until every agent agrees with the plugin; fails with the diff and the logs. */
    void awaitConvergence(double seconds) {
        setRate(0);
        Polling.until(seconds, 200, this::divergence, this::tails);
    }

    /**
     * Sets the plugin's change rate to {@code rate} and waits (30 s at most) until it has made {@code updates} more
     * updates than when called; fails with the logs if it has not by then.
     */
    void burst(double rate, long updates) {
        long before = num(pluginStatus(), "updated");
        setRate(rate);
        Polling.until(30, 100, () -> {
            long made = num(pluginStatus(), "updated") - before;
            return made >= updates ? null : made + " updates made so far, " + updates + " wanted";
        }, this::tails);
    }

    /** Fails, naming the agent and its status, if an agent has processed a router in two workers at once. */
    void assertNoRouterProcessedTwiceAtOnce() {
        for (String host : hosts()) {
            Map<String, Object> s = agentStatus(host);
            assertEquals(0, num(s, "concurrent_router_violations"),
                    host + " processed a router in two workers at once: " + s);
        }
    }

    /**
     * Kills {@code host}'s agent with SIGKILL, checks that it exited with 137, and waits (20 s at most) until the
     * plugin has declared it down; fails with the logs if it has not by then.
     */
    void killAgent(String host) {
        ChildJvm agent = agent(host);
        agent.signal("KILL");
        assertEquals(137, agent.awaitExit(10));
        Polling.until(20, 100, () -> {
            Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) pluginStatus().get("agents")).get(host);
            return Boolean.FALSE.equals(a.get("alive")) ? null : host + " still alive at the plugin: " + a;
        }, this::tails);
    }

    /** The tail of every child's log, for a failure message. */
    String tails() {
        StringBuilder b = new StringBuilder();
        for (ChildJvm c : all) {
            if (c == proxy || c == plugin || agents.get(c.name()) == c) {
                b.append(c.tail(25)).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Stops every child (SIGTERM, then SIGKILL): the agents first, then the
     * plugin, then the proxy they talk through; closes the client.
     */
    @Override
    public void close() {
        for (String last : new String[] {null, "plugin", "proxy"}) {
            for (int i = all.size() - 1; i >= 0; i--) {
                String n = all.get(i).name();
                boolean agent = !n.equals("plugin") && !n.equals("proxy");
                if (last == null ? agent : n.equals(last)) {
                    all.get(i).close();
                }
            }
        }
        if (transport != null) {
            transport.close();
        }
    }
}

package io.jeventlet.bench;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.zmq.ZmqProxy;
import io.jeventlet.sample.l3.DemoStatusEndpoint;
import io.jeventlet.sample.l3.L3AgentEndpoint;
import io.jeventlet.sample.l3.L3PluginEndpoint;
import io.jeventlet.sample.l3.LatencyHistogram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent fleet benchmark: how fast three L3 agent processes apply 10,000
 * routers that the plugin simulator hands them at once, each router costing
 * 100 ms of simulated driver latency (a cooperative sleep on the agent's hub,
 * {@code router_driver.router_latency}; no other driver latency), with the
 * agents' processing pools at Neutron's maximum of 32 green threads.
 *
 * <p>The ideal is {@code routers x latency / (agents x 32)}: every pool full
 * all the time. The measured wall time runs from the plugin's first cast
 * (the {@code router_added_to_agent} casts that hand out the routers waiting
 * for an agent) to the last router applied.
 *
 * <p>How it measures: the plugin (a child JVM) creates the routers at start,
 * stamping each with the wall time; the agents (child JVMs, started first)
 * report to it twice, and the plugin schedules every router and casts, logging the moment
 * ({@code scheduled the routers waiting for an agent}). Each agent records,
 * per router applied, the time from the router's stamp to its application
 * ({@link LatencyHistogram}, 10 ms buckets to 10 s, 100 ms to 100 s). Over
 * the bus this runner reads every agent's histogram once all routers are
 * applied; subtracting the time from the stamps (the plugin's start line) to
 * the cast gives each router's apply latency from the cast, and the largest
 * of them is the wall time. The ZeroMQ proxy runs in this JVM.
 *
 * <p>Run: {@code bin/bench-agents} (see {@code --help}); it prints one table
 * row for {@code bench/RESULTS.md}.
 */
public final class AgentFleetBench {
    private static final Pattern STARTED = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*plugin simulator started");
    private static final Pattern SCHEDULED = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*scheduled the routers waiting for an agent: \\{(.*)}");

    private AgentFleetBench() {}

    /** Runs the benchmark; {@code --routers N --agents N --router-latency S --pool 32}. */
    public static void main(String[] args) throws Exception {
        int routers = 10_000;
        int agents = 3;
        double latency = 0.1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--routers" -> routers = Integer.parseInt(args[++i]);
                case "--agents" -> agents = Integer.parseInt(args[++i]);
                case "--router-latency" -> latency = Double.parseDouble(args[++i]);
                case "--help" -> {
                    // -Dfleet.dir=DIR: where the children's logs go (bench/target).
                    System.out.println("AgentFleetBench [--routers 10000] [--agents 3] [--router-latency 0.1]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --routers N, --agents N or --router-latency SECONDS");
            }
        }
        System.exit(run(routers, agents, latency));
    }

    static int run(int routers, int agentCount, double latency) throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("fleet.dir", "bench/target"),
                "agent-fleet-" + System.currentTimeMillis()));
        List<Process> children = new ArrayList<>();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0");
                Transport transport = Transport.create(proxy.transportUrl())) {
            String url = proxy.transportUrl();
            RpcClient plugin = new RpcClient(transport, new Target(L3PluginEndpoint.TOPIC)
                    .withNamespace(DemoStatusEndpoint.NAMESPACE)).withTimeout(30);
            RpcClient agentClient = new RpcClient(transport, new Target(L3AgentEndpoint.TOPIC)
                    .withNamespace(DemoStatusEndpoint.NAMESPACE)).withTimeout(30);
            List<String> common = List.of("--rpc.transport_url=" + url, "--rpc.response_timeout=60s");
            List<String> pluginArgs = new ArrayList<>(common);
            pluginArgs.addAll(List.of("--plugin.routers=" + routers, "--plugin.update_rate=0",
                    "--plugin.agent_down_time=120s"));
            List<String> hosts = new ArrayList<>();
            for (int i = 1; i <= agentCount; i++) {
                String host = "agent-" + i;
                hosts.add(host);
                List<String> a = new ArrayList<>(common);
                // Reports every 3 s, the agents all up before the plugin: each registers (first
                // report) before any agent's second report, at which the plugin spreads the
                // waiting routers over those registered. The periodic full sync (every 120 s)
                // stays out of the measured window.
                a.addAll(List.of("--agent.host=" + host, "--agent.report_interval=3s",
                        "--router_driver.operation_latency=0s", "--router_driver.router_latency=" + latency + "s",
                        "--service.periodic_interval=120s", "--service.periodic_fuzzy_delay=0s"));
                children.add(start(dir, host, "io.jeventlet.sample.l3.L3AgentMain", a));
            }
            for (String host : hosts) {
                await(60, () -> answers(() -> agentClient.withServer(host).call(Context.empty(), "demo_status",
                        Map.of())), host);
            }
            children.add(start(dir, "plugin", "io.jeventlet.sample.l3.PluginSimMain", pluginArgs));
            await(60, () -> answers(() -> plugin.call(Context.empty(), "demo_status", Map.of())), "the plugin");
            Path pluginLog = dir.resolve("plugin.log");
            await(120, () -> matching(pluginLog, SCHEDULED) != null, "the plugin's scheduling of the routers");
            Matcher scheduled = matching(pluginLog, SCHEDULED);
            Matcher started = matching(pluginLog, STARTED);
            double castAt = seconds(scheduled.group(1));
            double offset = castAt - seconds(started.group(1));
            Map<String, Object> perHost = new LinkedHashMap<>();
            for (String part : scheduled.group(2).split(", ")) {
                String[] kv = part.split("=");
                perHost.put(kv[0], Integer.parseInt(kv[1]));
            }
            if (perHost.size() != agentCount) {
                System.err.println("the plugin scheduled the routers over " + perHost + ", not over all "
                        + agentCount + " agents: run again");
                return 1;
            }
            long pollStart = System.nanoTime();
            Map<String, Map<?, ?>> statuses = new LinkedHashMap<>();
            // Polled once a second: a status carries every router id, and the timing comes from the
            // agents' own histograms, not from this poll.
            await(600, 1000, () -> {
                for (String host : hosts) {
                    Map<?, ?> s;
                    try {
                        s = (Map<?, ?>) agentClient.withServer(host).call(Context.empty(), "demo_status", Map.of());
                    } catch (MessagingException e) {
                        return false;
                    }
                    int have = ((Map<?, ?>) s.get("routers")).size();
                    if (have < (Integer) perHost.get(host) || !Boolean.TRUE.equals(s.get("idle"))) {
                        return false;
                    }
                    statuses.put(host, s);
                }
                return true;
            }, "every agent applying its routers");
            double observed = (System.nanoTime() - pollStart) / 1e9;
            LatencyHistogram all = new LatencyHistogram();
            long applied = 0;
            long violations = 0;
            long fetchCalls = 0;
            long fetched = 0;
            long readAhead = 0;
            long readAheadUsed = 0;
            for (Map<?, ?> s : statuses.values()) {
                fetchCalls += ((Number) s.get("fetch_calls")).longValue();
                fetched += ((Number) s.get("routers_fetched")).longValue();
                readAhead += ((Number) s.get("routers_read_ahead")).longValue();
                readAheadUsed += ((Number) s.get("read_ahead_used")).longValue();
                all.merge(LatencyHistogram.fromWire(s.get("latency")));
                applied += ((Map<?, ?>) s.get("routers")).size();
                violations += ((Number) s.get("concurrent_router_violations")).longValue();
            }
            double ideal = routers * latency / (agentCount * 32.0);
            double wall = all.percentile(100) / 1000 - offset;
            double p50 = all.percentile(50) / 1000 - offset;
            double p99 = all.percentile(99) / 1000 - offset;
            System.out.printf(Locale.ROOT, "routers applied %d (histogram samples %d), per agent %s, violations %d%n",
                    applied, all.count(), perHost, violations);
            System.out.printf(Locale.ROOT, "workers' sync_routers calls %d for %d routers fetched (%.1f per call);"
                    + " routers read ahead %d, updates served by them %d%n",
                    fetchCalls, fetched, fetched / (double) Math.max(1, fetchCalls), readAhead, readAheadUsed);
            System.out.printf(Locale.ROOT, "stamp-to-cast offset %.3f s (plugin log); completion seen by polling %.1f s"
                    + " after the cast was logged%n", offset, observed);
            System.out.printf(Locale.ROOT, "| agent fleet: %,d routers x %.0f ms over %d agent processes, pool 32 |"
                    + " %.2f s | ideal %.2f s | %.2fx ideal | p50 %.2f s, p99 %.2f s | %s | %s |%n",
                    routers, latency * 1000, agentCount, wall, ideal, wall / ideal, p50, p99, target(ideal),
                    met(wall, ideal) ? "yes" : "**no**");
            for (Map.Entry<String, Map<?, ?>> e : statuses.entrySet()) {
                printPhases(e.getKey(), e.getValue(), castAt);
            }
            return 0;
        } finally {
            for (Process p : children) {
                p.destroy();
            }
            for (Process p : children) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * One agent's own account of its workers (its status's {@code worker_phases},
     * {@code busy_slots} and timestamps): when its routers arrived and its
     * first and last were applied (seconds after the cast), the seconds and
     * milliseconds per router its workers spent in each phase, and how many
     * of its 32 pool slots were busy over its active span.
     */
    private static void printPhases(String host, Map<?, ?> s, double castAt) {
        long applied = ((Map<?, ?>) s.get("routers")).size();
        System.out.printf(Locale.ROOT, "%s: %d notification(s) for %d routers, first %.3f s after the cast;"
                + " first update begun %+.3f s, last router applied %.3f s after the cast%n", host,
                ((Number) s.get("notifications")).longValue(), ((Number) s.get("routers_notified")).longValue(),
                since(s, "first_notified_at_ms", castAt), since(s, "first_update_begun_at_ms", castAt),
                since(s, "last_router_applied_at_ms", castAt));
        StringBuilder line = new StringBuilder("  worker phases, s total (ms per router):");
        for (Map.Entry<?, ?> p : ((Map<?, ?>) s.get("worker_phases")).entrySet()) {
            double sec = ((Number) ((Map<?, ?>) p.getValue()).get("seconds")).doubleValue();
            line.append(String.format(Locale.ROOT, " %s %.1f (%.1f)", p.getKey(), sec, sec * 1000 / Math.max(1, applied)));
        }
        System.out.println(line);
        List<?> busy = (List<?>) s.get("busy_slots");
        double total = 0;
        double weighted = 0;
        double full = 0;
        for (int k = 0; k < busy.size(); k++) {
            double t = ((Number) busy.get(k)).doubleValue();
            total += t;
            weighted += k * t;
            if (k == busy.size() - 1) {
                full = t;
            }
        }
        StringBuilder spread = new StringBuilder();
        for (int k = 0; k < busy.size(); k++) {
            double t = ((Number) busy.get(k)).doubleValue();
            if (t >= 0.05) {
                spread.append(String.format(Locale.ROOT, " %d:%.2f", k, t));
            }
        }
        System.out.printf(Locale.ROOT, "  busy slots over %.2f s: mean %.1f of %d, all busy %.0f%% of the time;"
                + " seconds with k busy (k:s, >= 0.05 s)%s%n", ((Number) s.get("busy_span")).doubleValue(),
                weighted / Math.max(1e-9, total), busy.size() - 1, 100 * full / Math.max(1e-9, total), spread);
    }

    private static double since(Map<?, ?> s, String key, double castAt) {
        long ms = ((Number) s.get(key)).longValue();
        return ms < 0 ? Double.NaN : ms / 1000.0 - castAt;
    }

    /**
     * The targets: within 1.1x the ideal when the driver's latency
     * dominates (ideal of a second or more), and at most 2 s when the fetch
     * and apply path alone is measured (1 ms per router: ideal 0.10 s).
     */
    private static String target(double ideal) {
        return ideal >= 1 ? "<= 1.1x ideal" : "<= 2 s";
    }

    private static boolean met(double wall, double ideal) {
        return ideal >= 1 ? wall / ideal <= 1.1 : wall <= 2;
    }

    private static Process start(Path dir, String name, String main, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.trackAllThreads=false", "-Xmx512m",
                "-Dlogback.configurationFile=agent-fleet-logback.xml"));
        // -Dfleet.jvm="..." adds JVM options to every child (a profiler, a flight recording).
        String extra = System.getProperty("fleet.jvm", "").replace("{name}", name);
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static boolean answers(Runnable r) {
        try {
            r.run();
            return true;
        } catch (MessagingException e) {
            return false;
        }
    }

    private static void await(double seconds, java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        await(seconds, 100, condition, what);
    }

    /** Polls {@code condition} every {@code periodMs} until it holds; fails naming {@code what} after {@code seconds}. */
    private static void await(double seconds, long periodMs, java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + seconds + " s");
            }
            Thread.sleep(periodMs);
        }
    }

    private static Matcher matching(Path log, Pattern p) {
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Seconds of the day of a log line's {@code HH:mm:ss.SSS} (the children log in this machine's zone). */
    private static double seconds(String hhmmss) {
        return LocalTime.parse(hhmmss).atDate(LocalDate.now()).atZone(ZoneId.systemDefault()).toInstant()
                .toEpochMilli() / 1000.0;
    }
}

package io.jeventlet.bench;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcArg;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.zmq.ZmqProxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The call round trip of {@code ZmqRpcBench} ({@code zmq_call_rtt}: client,
 * proxy and server in one JVM over tcp loopback) and of
 * {@code RabbitRpcBench} (sequential calls through the local broker), and
 * nothing else, so one build of the RPC stack can be measured against
 * another in the same sitting: it uses only API that both have, and runs
 * on the classpath of either ({@code bench/RESULTS.md} gives the command).
 * Prints one line per bus and repetition, then the medians.
 *
 * <p>Arguments: {@code [calls per repetition] [repetitions] [rabbit URL] [buses]},
 * buses a comma-separated subset of {@code zmq,rabbit,inproc} (default
 * {@code zmq,rabbit}). {@code inproc} runs client and server on one hub: the
 * round trip is the RPC layer's own CPU work (envelope, dispatch, the seams)
 * with no socket and no thread hand-off, the row least disturbed by a loaded
 * machine.
 */
public final class SeamsOverheadBench {
    private SeamsOverheadBench() {
    }

    /** The endpoint: echoes its argument. */
    public static final class Echo {
        public Object echo(Context ctx, @RpcArg("x") Object x) {
            return x;
        }
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String rabbit = args.length > 2 ? args[2] : "rabbit://guest:guest@127.0.0.1:5672/";
        List<String> buses = List.of((args.length > 3 ? args[3] : "zmq,rabbit").split(","));
        Map<String, List<Double>> results = new java.util.LinkedHashMap<>();
        if (buses.contains("zmq")) {
            try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0")) {
                results.put("zmq", rtt("zmq", proxy.transportUrl(), calls, reps));
            }
        }
        if (buses.contains("rabbit")) {
            results.put("rabbit", rtt("rabbit", rabbit, calls, reps));
        }
        if (buses.contains("inproc")) {
            results.put("inproc", sameHub(calls, reps));
        }
        results.forEach((bus, xs) -> System.out.printf(Locale.ROOT, "median %s_call_rtt %.2f us/call, min %.2f (reps %s)%n",
                bus, median(xs), Collections.min(xs), xs));
        System.exit(0);
    }

    /** inproc:// with client and server on the calling thread's hub. */
    static List<Double> sameHub(int calls, int reps) {
        try (Transport t = Transport.create("inproc://seams-bench")) {
            RpcServer server = new RpcServer(t, new Target("b").withServer("s1"), List.of(new Echo()));
            server.start();
            List<Double> out = new ArrayList<>();
            try {
                RpcClient client = new RpcClient(t, new Target("b")).withTimeout(60);
                for (int i = 0; i < calls; i++) {
                    client.call(Context.empty(), "echo", Map.of("x", i));
                }
                com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                List<Double> cpu = new ArrayList<>();
                for (int r = 0; r < reps; r++) {
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        client.call(Context.empty(), "echo", Map.of("x", i));
                    }
                    double us = (System.nanoTime() - t0) / 1e3 / calls;
                    double cpuUs = (os.getProcessCpuTime() - c0) / 1e3 / calls;
                    out.add(Math.round(us * 100) / 100.0);
                    cpu.add(Math.round(cpuUs * 100) / 100.0);
                    System.out.printf(Locale.ROOT, "inproc_call_rtt rep %d: %.2f us/call wall, %.2f us/call process CPU%n",
                            r, us, cpuUs);
                }
                // CPU time is what a loaded machine disturbs least: the RPC layer's own cost per call.
                System.out.printf(Locale.ROOT, "median inproc_call_cpu %.2f us/call, min %.2f (reps %s)%n", median(cpu),
                        Collections.min(cpu), cpu);
            } finally {
                server.stop();
                server.await();
            }
            return out;
        }
    }

    /** Per repetition, the mean round trip of {@code calls} sequential calls, after a warm-up of as many. */
    static List<Double> rtt(String bus, String url, int calls, int reps) throws Exception {
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, url).load();
        String topic = "seams_bench_" + ProcessHandle.current().pid();
        CompletableFuture<RpcServer> started = new CompletableFuture<>();
        try (Transport serverT = Transport.create(conf); Transport clientT = Transport.create(conf)) {
            Thread serverThread = Thread.ofPlatform().name("bench-server-hub").start(() -> {
                try {
                    RpcServer server = new RpcServer(serverT, new Target(topic).withServer("s1"), List.of(new Echo()));
                    server.start();
                    started.complete(server);
                    server.await();
                } catch (RuntimeException | Error e) {
                    started.completeExceptionally(e);
                }
            });
            RpcServer server = started.get(60, TimeUnit.SECONDS);
            List<Double> out = new ArrayList<>();
            try {
                RpcClient client = new RpcClient(clientT, new Target(topic)).withTimeout(60);
                Map<String, Object> a = Map.of("x", 1);
                for (int i = 0; i < calls; i++) {
                    client.call(Context.empty(), "echo", a);
                }
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < calls; i++) {
                        client.call(Context.empty(), "echo", Map.of("x", i));
                    }
                    double us = (System.nanoTime() - t0) / 1e3 / calls;
                    out.add(Math.round(us * 10) / 10.0);
                    System.out.printf(Locale.ROOT, "%s_call_rtt rep %d: %.1f us/call%n", bus, r, us);
                }
            } finally {
                server.stop();
                serverThread.join(30_000);
            }
            return out;
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}

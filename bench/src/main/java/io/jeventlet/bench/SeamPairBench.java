package io.jeventlet.bench;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcInterceptor;
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
 * The interceptor seam's cost, in one JVM and one sitting: the call round
 * trip with no interceptors (the path every call takes unless someone
 * installs one) against the same round trip through a view with one
 * pass-through interceptor on the client and one on the server (the chain
 * built and run on both sides), repetitions alternating between the two so
 * that JIT state and machine load hit both alike. The pass-through pair is
 * an upper bound of what the seam costs when empty: with no interceptors
 * the chain is skipped altogether.
 *
 * <p>Arguments: {@code [calls per repetition] [repetitions] [rabbit URL] [buses]},
 * buses a comma-separated subset of {@code zmq,rabbit,inproc}.
 */
public final class SeamPairBench {
    private SeamPairBench() {
    }

    private static final RpcInterceptor PASS = (inv, next) -> next.proceed(inv);

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String rabbit = args.length > 2 ? args[2] : "rabbit://guest:guest@127.0.0.1:5672/";
        List<String> buses = List.of((args.length > 3 ? args[3] : "inproc,zmq,rabbit").split(","));
        for (String bus : buses) {
            switch (bus) {
                case "inproc" -> pair(bus, "inproc://seam-pair", calls, reps, true);
                case "zmq" -> {
                    try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0")) {
                        pair(bus, proxy.transportUrl(), calls, reps, false);
                    }
                }
                case "rabbit" -> pair(bus, rabbit, calls, reps, false);
                default -> throw new IllegalArgumentException("unknown bus " + bus);
            }
        }
        System.exit(0);
    }

    /** Two servers (plain, and on a view with PASS) and two clients; alternating repetitions. */
    static void pair(String bus, String url, int calls, int reps, boolean sameHub) throws Exception {
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, url).load();
        String topic = "seam_pair_" + ProcessHandle.current().pid();
        try (Transport serverT = Transport.create(conf); Transport clientT = sameHub ? null : Transport.create(conf)) {
            Transport callerT = sameHub ? serverT : clientT;
            List<Runnable> stops = new ArrayList<>();
            start(serverT, topic + "_plain", sameHub, stops);
            start(serverT.intercept(PASS), topic + "_seam", sameHub, stops);
            RpcClient plain = new RpcClient(callerT, new Target(topic + "_plain")).withTimeout(60);
            RpcClient seam = new RpcClient(callerT.intercept(PASS), new Target(topic + "_seam")).withTimeout(60);
            try {
                run(plain, calls);
                run(seam, calls);
                List<Double> p = new ArrayList<>();
                List<Double> s = new ArrayList<>();
                List<Double> ratio = new ArrayList<>();
                for (int r = 0; r < reps; r++) {
                    double a = r % 2 == 0 ? run(plain, calls) : 0;
                    double b = run(seam, calls);
                    if (r % 2 == 1) {
                        a = run(plain, calls);
                    }
                    p.add(round(a));
                    s.add(round(b));
                    ratio.add(Math.round(b / a * 1000) / 1000.0);
                }
                System.out.printf(Locale.ROOT, "%s plain median %.2f us/call %s%n", bus, median(p), p);
                System.out.printf(Locale.ROOT, "%s pass-through interceptor on client and server median %.2f us/call %s%n",
                        bus, median(s), s);
                System.out.printf(Locale.ROOT, "%s ratio seam/plain per repetition %s, median %.3f%n", bus, ratio,
                        median(ratio));
            } finally {
                stops.forEach(Runnable::run);
            }
        }
    }

    private static void start(Transport t, String topic, boolean sameHub, List<Runnable> stops) throws Exception {
        if (sameHub) {
            RpcServer server = new RpcServer(t, new Target(topic).withServer("s1"), List.of(new SeamsOverheadBench.Echo()));
            server.start();
            stops.add(() -> {
                server.stop();
                server.await();
            });
            return;
        }
        CompletableFuture<RpcServer> started = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("bench-server-" + topic).start(() -> {
            try {
                RpcServer server = new RpcServer(t, new Target(topic).withServer("s1"), List.of(new SeamsOverheadBench.Echo()));
                server.start();
                started.complete(server);
                server.await();
            } catch (RuntimeException | Error e) {
                started.completeExceptionally(e);
            }
        });
        RpcServer server = started.get(60, TimeUnit.SECONDS);
        stops.add(() -> {
            server.stop();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Mean microseconds per call of {@code calls} sequential calls. */
    private static double run(RpcClient client, int calls) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            client.call(Context.empty(), "echo", Map.of("x", i));
        }
        return (System.nanoTime() - t0) / 1e3 / calls;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}

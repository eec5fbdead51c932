package io.jeventlet.bench;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcArg;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.zmq.ZmqOpts;
import io.jeventlet.rpc.zmq.ZmqProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.SocketType;
import org.zeromq.ZCert;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The zmq:// transport against raw JeroMQ over the same hops, in one run:
 * call round trip through a proxy, casts/s, calls/s with 1, 16 and 256
 * concurrent callers, with and without CurveZMQ; raw JeroMQ DEALER -> ROUTER
 * proxy -> DEALER and REQ/REP on platform threads. Prints
 * {@code name value unit} lines (medians of the measured repetitions).
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false \
 *   -cp bench/target/benchmarks.jar io.jeventlet.bench.ZmqRpcBench [reps] \
 *   [../shared/bench/bench_oslo_rpc.py rabbit://guest:guest@127.0.0.1:5672/]
 * </pre>
 * {@code -Drows=REGEX} runs only the rows whose names match (e.g. {@code zmq_cast}).
 *
 * <p>Thread rule: main runs the clients on its own hub; each RPC server runs
 * on a hub of its own platform thread; the proxy and the drivers on their
 * socket owner threads.
 */
public final class ZmqRpcBench {
    private static final int WARMUP = 2;

    /** The server's endpoint. */
    public static final class Echo {
        final AtomicInteger casts = new AtomicInteger();

        public Object echo(Context ctx, @RpcArg("x") Object x) {
            return x;
        }

        public void bump(Context ctx) {
            casts.incrementAndGet();
        }
    }

    interface Measure {
        double run() throws Exception;
    }

    private static double median(int reps, Measure m) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            m.run();
        }
        double[] v = new double[reps];
        for (int i = 0; i < reps; i++) {
            v[i] = m.run();
        }
        Arrays.sort(v);
        return v[reps / 2];
    }

    /** Which rows run: {@code -Drows=REGEX} on their names (for a profile of one workload); all by default. */
    private static final java.util.regex.Pattern ROWS = java.util.regex.Pattern.compile(System.getProperty("rows", ".*"));

    private static void row(String name, int reps, Measure m, String unit) throws Exception {
        if (ROWS.matcher(name).matches()) {
            System.out.printf("%s %.4g %s%n", name, median(reps, m), unit);
        }
    }

    /** An RPC server on a hub of its own platform thread, until {@link #close}. */
    static final class ServerThread implements AutoCloseable {
        final Echo echo = new Echo();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        ServerThread(Transport transport, Target target) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            thread = Thread.ofPlatform().name("bench-rpc-server").start(() -> {
                RpcServer server;
                try {
                    server = new RpcServer(transport, target, List.of(echo));
                    server.start();
                } finally {
                    started.countDown();
                }
                while (!stop.get()) {
                    Eventlet.sleep(0.05);
                }
                server.stop();
                server.await();
            });
            started.await();
            if (!thread.isAlive()) {
                throw new IllegalStateException("the bench server failed to start (see its stack above)");
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    static ConfigOpts conf(String url, Path keys, String peer) {
        ConfigOpts.Builder b = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, url);
        if (keys != null) {
            b.override(ZmqOpts.CURVE_SECRET_KEY_FILE, keys.resolve(peer + ".key_secret").toString())
                    .override(ZmqOpts.CURVE_PROXY_PUBLIC_KEY_FILE, keys.resolve("proxy.key").toString());
        }
        return b.load();
    }

    /** Key files for a proxy and two peers, in a fresh directory. */
    static Path curveKeys() throws Exception {
        Path dir = Files.createTempDirectory("zmq-bench-keys");
        Path allowed = Files.createDirectory(dir.resolve("allowed"));
        for (String name : List.of("proxy", "server", "client")) {
            ZCert c = new ZCert();
            Path secret = dir.resolve(name + ".key_secret");
            c.saveSecret(secret.toString());
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            c.savePublic((name.equals("proxy") ? dir : allowed).resolve(name + ".key").toString());
        }
        return dir;
    }

    static void rpcRows(String suffix, Path keys, int reps) throws Exception {
        ConfigOpts proxyConf = keys == null ? ConfigOpts.builder().load() : ConfigOpts.builder()
                .override(ZmqOpts.CURVE_SECRET_KEY_FILE, keys.resolve("proxy.key_secret").toString())
                .override(ZmqOpts.CURVE_ALLOWED_KEYS_DIR, keys.resolve("allowed").toString()).load();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", proxyConf);
                Transport serverT = Transport.create(conf(proxy.transportUrl(), keys, "server"));
                Transport clientT = Transport.create(conf(proxy.transportUrl(), keys, "client"));
                ServerThread server = new ServerThread(serverT, new Target("bench").withServer("s1"))) {
            RpcClient client = new RpcClient(clientT, new Target("bench")).withTimeout(60);
            int n = 2000;
            row("zmq_call_rtt" + suffix, reps, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    client.call(Context.empty(), "echo", Map.of("x", i));
                }
                return (System.nanoTime() - t0) / 1e3 / n;
            }, "us/call");
            for (int callers : new int[] {1, 16, 256}) {
                int total = callers == 1 ? 2000 : 20_000;
                row("zmq_calls_" + callers + suffix, reps, () -> {
                    long t0 = System.nanoTime();
                    List<GreenThread<Void>> gts = new ArrayList<>();
                    for (int c = 0; c < callers; c++) {
                        gts.add(Eventlet.spawn(() -> {
                            for (int i = 0; i < total / callers; i++) {
                                client.call(Context.empty(), "echo", Map.of("x", i));
                            }
                        }));
                    }
                    for (GreenThread<Void> gt : gts) {
                        gt.await();
                    }
                    return total / ((System.nanoTime() - t0) / 1e9);
                }, "calls/s");
            }
            int casts = 50_000;
            row("zmq_cast" + suffix, reps, () -> {
                int before = server.echo.casts.get();
                long t0 = System.nanoTime();
                for (int i = 0; i < casts; i++) {
                    client.cast(Context.empty(), "bump", Map.of());
                }
                while (server.echo.casts.get() - before < casts) {
                    Eventlet.sleep(0.001);
                }
                return casts / ((System.nanoTime() - t0) / 1e9);
            }, "casts/s");
        }
    }

    /** Raw JeroMQ: DEALER -> ROUTER proxy -> DEALER echo, each on a platform thread; one sequential RTT. */
    static double rawProxyRtt(int n) throws Exception {
        try (ZContext ctx = new ZContext(1)) {
            ctx.setLinger(0);
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            AtomicBoolean stop = new AtomicBoolean();
            Thread proxy = Thread.ofPlatform().start(() -> {
                // Frames from a client: [client, "s", payload] -> [server, client, payload]; and back.
                router.setReceiveTimeOut(100);
                while (!stop.get()) {
                    byte[] from = router.recv(0);
                    if (from == null) {
                        continue;
                    }
                    byte[] to = router.recv(0);
                    byte[] payload = router.recv(0);
                    router.send(to, ZMQ.SNDMORE);
                    router.send(from, ZMQ.SNDMORE);
                    router.send(payload, 0);
                }
            });
            CountDownLatch ready = new CountDownLatch(1);
            Thread server = Thread.ofPlatform().start(() -> {
                try (ZMQ.Socket s = ctx.createSocket(SocketType.DEALER)) {
                    s.setIdentity("s".getBytes());
                    s.setReceiveTimeOut(100);
                    s.connect("tcp://127.0.0.1:" + port);
                    s.send("s", ZMQ.SNDMORE);  // say hello so the router knows us
                    s.send("hello", 0);
                    ready.countDown();
                    while (!stop.get()) {
                        byte[] caller = s.recv(0);
                        if (caller == null) {
                            continue;
                        }
                        byte[] payload = s.recv(0);
                        s.send(caller, ZMQ.SNDMORE);
                        s.send(payload, 0);
                    }
                }
            });
            ready.await();
            ZMQ.Socket c = ctx.createSocket(SocketType.DEALER);
            c.setIdentity("c".getBytes());
            c.connect("tcp://127.0.0.1:" + port);
            Thread.sleep(200);
            byte[] body = new byte[200];
            for (int w = 0; w < 1000; w++) {
                c.send("s", ZMQ.SNDMORE);
                c.send(body, 0);
                recvAll(c);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                c.send("s", ZMQ.SNDMORE);
                c.send(body, 0);
                recvAll(c);
            }
            double us = (System.nanoTime() - t0) / 1e3 / n;
            stop.set(true);
            proxy.join();
            server.join();
            c.close();
            return us;
        }
    }

    /**
     * Receives every frame of one message: the reply through the proxy is two
     * frames ({@code [server, payload]}), and reading one would leave the other
     * for the next round, which would then not wait at all.
     */
    private static void recvAll(ZMQ.Socket s) {
        s.recv(0);
        while (s.hasReceiveMore()) {
            s.recv(0);
        }
    }

    /** Raw JeroMQ REQ/REP direct, platform threads. */
    static double rawReqRepRtt(int n) throws Exception {
        try (ZContext ctx = new ZContext(1)) {
            ctx.setLinger(0);
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            int port = rep.bindToRandomPort("tcp://127.0.0.1");
            Thread server = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < n + 1000; i++) {
                    rep.send(rep.recv(0), 0);
                }
            });
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.connect("tcp://127.0.0.1:" + port);
            byte[] body = new byte[200];
            for (int w = 0; w < 1000; w++) {
                req.send(body, 0);
                req.recv(0);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                req.send(body, 0);
                req.recv(0);
            }
            double us = (System.nanoTime() - t0) / 1e3 / n;
            server.join();
            req.close();
            return us;
        }
    }

    /**
     * Runs the oslo.messaging peer ({@code bench_oslo_rpc.py} under /usr/bin/python3)
     * against a RabbitMQ broker at {@code url}, echoing its lines, so its rows come
     * from the same run.
     */
    static void osloPeer(String script, String url, int reps) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", script, "--url", url, "--calls", "2000",
                "--warmup", "1", "--reps", Integer.toString(reps), "--topic", "zmq_bench_oslo_peer")
                .redirectErrorStream(true).start();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println(line);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Arguments: {@code [reps] [OSLO_SCRIPT RABBIT_URL]}. */
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        if (args.length > 2) {
            osloPeer(args[1], args[2], reps);
        }
        row("raw_jeromq_proxy_rtt", reps, () -> rawProxyRtt(5000), "us/call");
        row("raw_jeromq_reqrep_rtt", reps, () -> rawReqRepRtt(5000), "us/call");
        rpcRows("", null, reps);
        rpcRows("_curve", curveKeys(), reps);
        System.exit(0);
    }
}

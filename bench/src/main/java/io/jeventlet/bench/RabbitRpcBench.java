package io.jeventlet.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jeventlet.GreenPool;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcArg;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.spi.TransportUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * RPC over RabbitMQ, three ways on one broker in one run: jeventlet's
 * {@code rabbit://} RpcClient/RpcServer, raw amqp-client doing the same
 * publish (mandatory, one publisher confirm awaited per message) / consume /
 * reply with the same bodies, and Python oslo.messaging
 * ({@code shared/bench/bench_oslo_rpc.py}). Workloads, as the oslo script's:
 * the median round trip of sequential calls, casts per second (N casts, then
 * until the server has run them all), and calls per second from 16
 * concurrent callers (green threads for jeventlet, OS threads for the
 * others). Prints a Markdown table of medians with the ratios and targets.
 */
@Command(name = "rabbit-bench", mixinStandardHelpOptions = true,
        description = "Compares jeventlet's rabbit:// RPC with raw amqp-client and Python oslo.messaging on one broker.")
public final class RabbitRpcBench implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "rabbit://guest:guest@127.0.0.1:5672/", description = "The broker.")
    String url;
    @Option(names = "--calls", defaultValue = "2000", description = "Calls (and casts) per repetition.")
    int calls;
    @Option(names = "--reps", defaultValue = "3", description = "Measured repetitions.")
    int reps;
    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up repetitions.")
    int warmup;
    @Option(names = "--peers", description = "Directory of bench_oslo_rpc.py (default: ../shared/bench from the project root).")
    Path peers;
    @Option(names = "--python", defaultValue = "/usr/bin/python3")
    Path python;
    @Option(names = "--no-python", description = "Skip the oslo.messaging peer.")
    boolean noPython;

    static final int CONCURRENCY = 16;

    /**
     * Medians of one implementation: call round trip (us), casts/s, calls/s from 16 callers, and the
     * process CPU time per sequential call and per cast (us; the broker's own CPU is not counted).
     */
    record Row(double rttUs, double castsPerSec, double calls16PerSec, double unconfirmedCastsPerSec,
               double rttCpuUs, double castCpuUs) {
        Row(double rttUs, double castsPerSec, double calls16PerSec) {
            this(rttUs, castsPerSec, calls16PerSec, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** This process's CPU time so far, ns (all threads). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The server side of the jeventlet runs. */
    public static final class Endpoint {
        final AtomicLong casts = new AtomicLong();

        public Object echo(Context ctx, @RpcArg("x") Object x) {
            return x;
        }

        public void bump(Context ctx) {
            casts.incrementAndGet();
        }

        public long count(Context ctx) {
            return casts.get();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RabbitRpcBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Row jev = jeventlet();
        Row raw = raw();
        Row oslo = noPython ? null : oslo();
        print(jev, raw, oslo);
        return 0;
    }

    static void progress(String fmt, Object... args) {
        System.err.println("rabbit-bench: " + String.format(Locale.ROOT, fmt, args));
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    // ---- jeventlet ----

    Row jeventlet() throws Exception {
        progress("jeventlet rabbit:// ...");
        String topic = "jev_bench_" + UUID.randomUUID().toString().substring(0, 8);
        ConfigOpts conf = ConfigOpts.builder().commandLine("rpc.transport_url", url).load();
        Endpoint endpoint = new Endpoint();
        CompletableFuture<RpcServer> started = new CompletableFuture<>();
        Transport serverTransport = Transport.create(conf);
        Thread serverThread = Thread.ofPlatform().name("bench-server-hub").start(() -> {
            try {
                RpcServer server = new RpcServer(serverTransport, new Target(topic).withServer("s1"), List.of(endpoint));
                server.start();
                started.complete(server);
                server.await();
            } catch (RuntimeException | Error e) {
                if (!started.completeExceptionally(e)) {
                    progress("the jeventlet server's hub failed: %s", e);
                    e.printStackTrace();
                }
            }
        });
        RpcServer server = started.get(30, TimeUnit.SECONDS);
        List<Double> rtt = new ArrayList<>();
        List<Double> casts = new ArrayList<>();
        List<Double> conc = new ArrayList<>();
        List<Double> unconfirmed = new ArrayList<>();
        List<Double> rttCpu = new ArrayList<>();
        List<Double> castCpu = new ArrayList<>();
        // rabbit_cast_confirm = false: oslo's cast semantics (returns once written), measured separately.
        ConfigOpts unconfirmedConf = ConfigOpts.builder().commandLine("rpc.transport_url", url)
                .commandLine("rabbit.rabbit_cast_confirm", "false").load();
        try (Transport transport = Transport.create(conf);
             Transport unconfirmedTransport = Transport.create(unconfirmedConf)) {
            RpcClient client = new RpcClient(transport, new Target(topic).withServer("s1")).withTimeout(30);
            RpcClient unconfirmedClient = new RpcClient(unconfirmedTransport, new Target(topic).withServer("s1"))
                    .withTimeout(30);
            Context ctx = Context.empty();
            Map<String, Object> args = Map.of("x", 1);
            for (int i = 0; i < 200; i++) {
                client.call(ctx, "echo", args);
            }
            for (int rep = 0; rep < warmup + reps; rep++) {
                boolean measured = rep >= warmup;
                double[] lat = new double[calls];
                long cpu0 = processCpuNanos();
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    client.call(ctx, "echo", args);
                    lat[i] = (System.nanoTime() - t0) / 1e3;
                }
                double callCpu = (processCpuNanos() - cpu0) / 1e3 / calls;
                java.util.Arrays.sort(lat);
                long base = ((Number) client.call(ctx, "count", Map.of())).longValue();
                long t0 = System.nanoTime();
                cpu0 = processCpuNanos();
                for (int i = 0; i < calls; i++) {
                    client.cast(ctx, "bump", Map.of());
                }
                while (((Number) client.call(ctx, "count", Map.of())).longValue() < base + calls) {
                    // the oslo script's rule: poll with calls until every cast ran
                }
                double castRate = calls / ((System.nanoTime() - t0) / 1e9);
                double oneCastCpu = (processCpuNanos() - cpu0) / 1e3 / calls;
                int per = Math.max(1, calls / CONCURRENCY);
                GreenPool pool = new GreenPool(CONCURRENCY);
                t0 = System.nanoTime();
                for (int c = 0; c < CONCURRENCY; c++) {
                    pool.spawnN(() -> {
                        for (int i = 0; i < per; i++) {
                            client.call(ctx, "echo", args);
                        }
                    });
                }
                pool.waitAll();
                double concRate = per * CONCURRENCY / ((System.nanoTime() - t0) / 1e9);
                base = ((Number) client.call(ctx, "count", Map.of())).longValue();
                t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    unconfirmedClient.cast(ctx, "bump", Map.of());
                }
                while (((Number) client.call(ctx, "count", Map.of())).longValue() < base + calls) {
                    // as above: until every cast ran
                }
                double unconfirmedRate = calls / ((System.nanoTime() - t0) / 1e9);
                if (measured) {
                    rtt.add(lat[calls / 2]);
                    casts.add(castRate);
                    conc.add(concRate);
                    unconfirmed.add(unconfirmedRate);
                    rttCpu.add(callCpu);
                    castCpu.add(oneCastCpu);
                    progress("  jeventlet rep: rtt %.0f us (cpu %.0f us/call), %.0f casts/s (cpu %.0f us/cast),"
                                    + " %.0f calls/s (16), %.0f unconfirmed casts/s",
                            lat[calls / 2], callCpu, castRate, oneCastCpu, concRate, unconfirmedRate);
                }
            }
        } finally {
            server.stop();
            serverThread.join(30_000);
            serverTransport.close();
        }
        return new Row(median(rtt), median(casts), median(conc), median(unconfirmed), median(rttCpu),
                median(castCpu));
    }

    // ---- raw amqp-client ----

    /** The same wire traffic without jeventlet: a confirm awaited per publish, replies matched by msg id. */
    Row raw() throws Exception {
        progress("raw amqp-client ...");
        TransportUrl u = TransportUrl.parse(url);
        ConnectionFactory f = new ConnectionFactory();
        TransportUrl.Host h = u.hosts().get(0);
        f.setHost(h.hostname());
        f.setPort(h.port() < 0 ? 5672 : h.port());
        f.setUsername(h.username() != null ? h.username() : "guest");
        f.setPassword(h.password() != null ? h.password() : "guest");
        String queue = "raw_bench_" + UUID.randomUUID().toString().substring(0, 8);
        byte[] reply = envelope("{\"result\": 1, \"failure\": null, \"ending\": true, \"_msg_id\": \"%s\"}");
        AMQP.BasicProperties json = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").deliveryMode(2).priority(0).build();
        AtomicLong casts = new AtomicLong();
        List<Double> rtt = new ArrayList<>();
        List<Double> castRates = new ArrayList<>();
        List<Double> conc = new ArrayList<>();
        List<Double> rttCpu = new ArrayList<>();
        List<Double> castCpu = new ArrayList<>();
        try (Connection serverConn = f.newConnection("raw-bench-server");
             Connection clientConn = f.newConnection("raw-bench-client")) {
            Channel sch = serverConn.createChannel();
            sch.queueDeclare(queue, false, false, true, null);
            sch.basicQos(64, true);
            sch.basicConsume(queue, false, (tag, d) -> {
                String replyTo = d.getProperties().getReplyTo();
                if (replyTo != null) {
                    sch.basicPublish("", replyTo, true, json.builder().correlationId(d.getProperties().getCorrelationId())
                            .build(), reply);
                } else {
                    casts.incrementAndGet();
                }
                sch.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
            Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
            Channel rch = clientConn.createChannel();
            String replyQ = rch.queueDeclare().getQueue();
            rch.basicConsume(replyQ, true, (tag, d) -> {
                CompletableFuture<Void> w = waiting.remove(d.getProperties().getCorrelationId());
                if (w != null) {
                    w.complete(null);
                }
            }, tag -> { });
            ThreadLocal<Channel> pubs = ThreadLocal.withInitial(() -> {
                try {
                    Channel c = clientConn.createChannel();
                    c.confirmSelect();
                    return c;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] request = envelope("{\"method\": \"echo\", \"args\": {\"x\": 1}, \"_msg_id\": \"%s\"}");
            RawCall call = () -> {
                String id = UUID.randomUUID().toString();
                CompletableFuture<Void> w = new CompletableFuture<>();
                waiting.put(id, w);
                Channel pub = pubs.get();
                pub.basicPublish("", queue, true, new AMQP.BasicProperties.Builder().contentType("application/json")
                        .contentEncoding("utf-8").deliveryMode(2).priority(0).replyTo(replyQ).correlationId(id)
                        .expiration("30000").build(), request);
                pub.waitForConfirmsOrDie(30_000);
                w.get(30, TimeUnit.SECONDS);
            };
            byte[] cast = envelope("{\"method\": \"bump\", \"args\": {}, \"_unique_id\": \"%s\"}");
            for (int i = 0; i < 200; i++) {
                call.run();
            }
            for (int rep = 0; rep < warmup + reps; rep++) {
                boolean measured = rep >= warmup;
                double[] lat = new double[calls];
                long cpu0 = processCpuNanos();
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    call.run();
                    lat[i] = (System.nanoTime() - t0) / 1e3;
                }
                double callCpu = (processCpuNanos() - cpu0) / 1e3 / calls;
                java.util.Arrays.sort(lat);
                long base = casts.get();
                long t0 = System.nanoTime();
                cpu0 = processCpuNanos();
                Channel pub = pubs.get();
                for (int i = 0; i < calls; i++) {
                    pub.basicPublish("", queue, true, json, cast);
                    pub.waitForConfirmsOrDie(30_000);
                }
                while (casts.get() < base + calls) {
                    call.run();
                }
                double castRate = calls / ((System.nanoTime() - t0) / 1e9);
                double oneCastCpu = (processCpuNanos() - cpu0) / 1e3 / calls;
                int per = Math.max(1, calls / CONCURRENCY);
                List<Thread> threads = new ArrayList<>();
                t0 = System.nanoTime();
                for (int c = 0; c < CONCURRENCY; c++) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            for (int i = 0; i < per; i++) {
                                call.run();
                            }
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
                double concRate = per * CONCURRENCY / ((System.nanoTime() - t0) / 1e9);
                if (measured) {
                    rtt.add(lat[calls / 2]);
                    castRates.add(castRate);
                    conc.add(concRate);
                    rttCpu.add(callCpu);
                    castCpu.add(oneCastCpu);
                    progress("  raw rep: rtt %.0f us (cpu %.0f us/call), %.0f casts/s (cpu %.0f us/cast), %.0f calls/s (16)",
                            lat[calls / 2], callCpu, castRate, oneCastCpu, concRate);
                }
            }
        }
        return new Row(median(rtt), median(castRates), median(conc), Double.NaN, median(rttCpu), median(castCpu));
    }

    interface RawCall {
        void run() throws Exception;
    }

    private static byte[] envelope(String innerFormat) {
        String inner = String.format(innerFormat, UUID.randomUUID().toString().replace("-", ""));
        String escaped = inner.replace("\\", "\\\\").replace("\"", "\\\"");
        return ("{\"oslo.version\": \"2.0\", \"oslo.message\": \"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    // ---- Python oslo.messaging ----

    Row oslo() throws Exception {
        Path dir = peers != null ? peers : Path.of(System.getProperty("jeventlet.root", ".")).resolve("../shared/bench").normalize();
        Path script = dir.resolve("bench_oslo_rpc.py");
        if (!Files.exists(script)) {
            progress("skipping oslo.messaging: no %s (use --peers DIR)", script);
            return null;
        }
        progress("python oslo.messaging (%s) ...", script);
        Process p = new ProcessBuilder(python.toString(), script.toString(), "--url", url, "--calls",
                Integer.toString(calls), "--reps", Integer.toString(reps), "--warmup", Integer.toString(warmup))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 2) {
                    values.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
                    progress("  oslo: %s", line.trim());
                }
            }
        }
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || !values.containsKey("oslo_call_rtt")) {
            p.destroyForcibly();
            throw new IllegalStateException("bench_oslo_rpc.py failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        }
        return new Row(median(values.get("oslo_call_rtt")), median(values.get("oslo_cast")),
                median(values.get("oslo_call_16")));
    }

    // ---- the table ----

    void print(Row jev, Row raw, Row oslo) {
        StringBuilder b = new StringBuilder();
        b.append("| workload | jeventlet | raw amqp-client | oslo.messaging | vs oslo | vs raw | target | met? |\n");
        b.append("|---|---:|---:|---:|---:|---:|---|---|\n");
        row(b, "call round trip (median, sequential)", jev.rttUs, raw.rttUs, oslo == null ? Double.NaN : oslo.rttUs,
                "us/call", true, 10);
        row(b, "casts/s (N casts until all ran)", jev.castsPerSec, raw.castsPerSec,
                oslo == null ? Double.NaN : oslo.castsPerSec, "casts/s", false, 5);
        row(b, "calls/s, 16 concurrent callers", jev.calls16PerSec, raw.calls16PerSec,
                oslo == null ? Double.NaN : oslo.calls16PerSec, "calls/s", false, 10);
        // Against oslo's casts, which are unconfirmed too; raw's are confirmed, so its ratio is not like for like.
        row(b, "casts/s unconfirmed (rabbit_cast_confirm=false) vs raw confirmed", jev.unconfirmedCastsPerSec,
                raw.castsPerSec, oslo == null ? Double.NaN : oslo.castsPerSec, "casts/s", false, 5);
        b.append(String.format(Locale.ROOT, "%nProcess CPU time per operation (medians; the broker's CPU not counted):%n%n"));
        b.append("| workload | jeventlet | raw amqp-client | jeventlet / raw |\n|---|---:|---:|---:|\n");
        b.append(String.format(Locale.ROOT, "| CPU per sequential call | %.0f us | %.0f us | %.2fx |%n", jev.rttCpuUs,
                raw.rttCpuUs, jev.rttCpuUs / raw.rttCpuUs));
        b.append(String.format(Locale.ROOT, "| CPU per confirmed cast (until all ran) | %.0f us | %.0f us | %.2fx |%n",
                jev.castCpuUs, raw.castCpuUs, jev.castCpuUs / raw.castCpuUs));
        System.out.print(b);
    }

    private static void row(StringBuilder b, String name, double jev, double raw, double oslo, String unit,
                            boolean lowerIsBetter, double osloTarget) {
        double vsOslo = lowerIsBetter ? oslo / jev : jev / oslo;
        double vsRaw = lowerIsBetter ? jev / raw : raw / jev;
        boolean met = (Double.isNaN(vsOslo) || vsOslo >= osloTarget) && vsRaw <= 1.5;
        b.append(String.format(Locale.ROOT, "| %s | %.0f %s | %.0f %s | %s | %s | %.2fx slower | >= %.0fx oslo, <= 1.5x raw | %s |%n",
                name, jev, unit, raw, unit, Double.isNaN(oslo) ? "-" : String.format(Locale.ROOT, "%.0f %s", oslo, unit),
                Double.isNaN(vsOslo) ? "-" : String.format(Locale.ROOT, "%.1fx", vsOslo), vsRaw, osloTarget,
                met ? "yes" : "**no**"));
    }
}

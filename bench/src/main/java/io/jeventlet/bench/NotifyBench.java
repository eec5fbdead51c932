package io.jeventlet.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenPool;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.NotificationListener;
import io.jeventlet.rpc.notify.Notifier;
import io.jeventlet.rpc.spi.TransportUrl;
import io.jeventlet.rpc.zmq.ZmqProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Notifications per second, jeventlet beside Python oslo.messaging 14 on one
 * broker in one run, and jeventlet on {@code zmq://}: sent/s from one
 * {@code Notifier} (one sender, and 16 green threads sharing it; Python: one
 * thread, oslo's usual use) and delivered/s to one listener (the queue
 * filled first, then the time from the first notification handled to the
 * last; zmq has no queue, so there the listener takes them while the
 * notifier sends). Prints a Markdown table of medians with the ratios.
 */
@Command(name = "notify-bench", mixinStandardHelpOptions = true,
        description = "Compares jeventlet's notifications with Python oslo.messaging's on one broker, and on zmq.")
public final class NotifyBench implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "rabbit://guest:guest@127.0.0.1:5672/", description = "The broker.")
    String url;
    @Option(names = "--count", defaultValue = "5000", description = "Notifications per repetition.")
    int count;
    @Option(names = "--reps", defaultValue = "3", description = "Measured repetitions.")
    int reps;
    @Option(names = "--python", defaultValue = "/usr/bin/python3")
    Path python;
    @Option(names = "--no-python", description = "Skip the oslo.messaging peer.")
    boolean noPython;

    static final int CONCURRENCY = 16;
    private static final Map<String, Object> PAYLOAD = Map.of("router", Map.of("id", "r-1", "status", "ACTIVE",
            "ha", false), "host", "bench-host");
    private final List<String> queues = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new NotifyBench()).execute(args));
    }

    private String topic(String what) {
        String t = "notify_bench_" + what + "_" + UUID.randomUUID().toString().substring(0, 8);
        queues.add(t + ".info");
        return t;
    }

    @Override
    public Integer call() throws Exception {
        List<double[]> rows = new ArrayList<>();   // per rep: javaSeq, java16, pySeq, javaDelivered, pyDelivered, zmqSeq, zmq16, zmqDelivered
        try {
            for (int r = -1; r < reps; r++) {
                double[] row = new double[8];
                row[0] = javaSend(url, 1);
                row[1] = javaSend(url, CONCURRENCY);
                row[2] = noPython ? Double.NaN : pythonSend();
                row[3] = javaDelivered();
                row[4] = noPython ? Double.NaN : pythonDelivered();
                try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0")) {
                    row[5] = javaSend(proxy.transportUrl(), 1, true);
                    row[6] = javaSend(proxy.transportUrl(), CONCURRENCY, true);
                    row[7] = zmqDelivered(proxy.transportUrl());
                }
                System.err.printf(Locale.ROOT, "%s: %s%n", r < 0 ? "warm-up" : "rep " + (r + 1), java.util.Arrays.toString(row));
                if (r >= 0) {
                    rows.add(row);
                }
            }
        } finally {
            deleteQueues();
        }
        double[] m = new double[8];
        for (int i = 0; i < 8; i++) {
            List<Double> xs = new ArrayList<>();
            for (double[] row : rows) {
                xs.add(row[i]);
            }
            Collections.sort(xs);
            m[i] = xs.get(xs.size() / 2);
        }
        System.out.println("| workload | jeventlet | oslo.messaging | vs oslo |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| rabbit: sent/s, one Notifier, one sender | %.0f | %.0f | %.1fx |%n", m[0], m[2], m[0] / m[2]);
        System.out.printf(Locale.ROOT, "| rabbit: sent/s, one Notifier, %d green threads | %.0f | %.0f (one thread) | %.1fx |%n",
                CONCURRENCY, m[1], m[2], m[1] / m[2]);
        System.out.printf(Locale.ROOT, "| rabbit: delivered/s to one listener | %.0f | %.0f | %.1fx |%n", m[3], m[4], m[3] / m[4]);
        System.out.printf(Locale.ROOT, "| zmq: sent/s, one Notifier, one sender | %.0f | - | - |%n", m[5]);
        System.out.printf(Locale.ROOT, "| zmq: sent/s, one Notifier, %d green threads | %.0f | - | - |%n", CONCURRENCY, m[6]);
        System.out.printf(Locale.ROOT, "| zmq: delivered/s to one listener (while sending) | %.0f | - | - |%n", m[7]);
        System.err.println("spread (min-max per column): " + spread(rows));
        return 0;
    }

    private static String spread(List<double[]> rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            double lo = Double.MAX_VALUE;
            double hi = -1;
            for (double[] r : rows) {
                lo = Math.min(lo, r[i]);
                hi = Math.max(hi, r[i]);
            }
            b.append(String.format(Locale.ROOT, "[%.0f-%.0f] ", lo, hi));
        }
        return b.toString();
    }

    private double javaSend(String busUrl, int senders) throws Exception {
        return javaSend(busUrl, senders, false);
    }

    /** Notifications/s from one Notifier, {@code senders} green threads sharing it. */
    private double javaSend(String busUrl, int senders, boolean zmq) throws Exception {
        String topic = topic(zmq ? "zmqsend" : "send");
        try (Transport t = Transport.create(busUrl)) {
            Notifier n = new Notifier(t, "bench.java", List.of("messagingv2"), List.of(topic), null);
            n.info(Context.empty(), "bench.warm", PAYLOAD);
            long start = System.nanoTime();
            GreenPool pool = new GreenPool(senders);
            int each = count / senders;
            for (int s = 0; s < senders; s++) {
                pool.spawnN(() -> {
                    for (int i = 0; i < each; i++) {
                        n.info(Context.empty(), "router.update.end", PAYLOAD);
                    }
                });
            }
            pool.waitAll();
            return each * senders / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Handles counted first to last. */
    public static final class Counter {
        final AtomicLong n = new AtomicLong();
        volatile long first;
        volatile long last;

        public void info(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            long now = System.nanoTime();
            if (n.getAndIncrement() == 0) {
                first = now;
            }
            last = now;
        }

        double rate() {
            return (n.get() - 1) / ((last - first) / 1e9);
        }
    }

    /** Delivered/s to one jeventlet listener of a queue filled with {@link #count} notifications. */
    private double javaDelivered() throws Exception {
        String topic = topic("deliver");
        try (Transport t = Transport.create(url)) {
            fill(t, topic);
            Counter c = new Counter();
            NotificationListener l = new NotificationListener(t, List.of(new Target(topic)), List.of(c), null);
            l.start();
            awaitCount(c, count);
            l.stop();
            l.await();
            return c.rate();
        }
    }

    private void fill(Transport t, String topic) throws Exception {
        Notifier n = new Notifier(t, "bench.fill", List.of("messagingv2"), List.of(topic), null);
        GreenPool pool = new GreenPool(CONCURRENCY);
        int each = count / CONCURRENCY;
        for (int s = 0; s < CONCURRENCY; s++) {
            int extra = s == 0 ? count - each * CONCURRENCY : 0;
            pool.spawnN(() -> {
                for (int i = 0; i < each + extra; i++) {
                    n.info(Context.empty(), "router.update.end", PAYLOAD);
                }
            });
        }
        pool.waitAll();
    }

    private static void awaitCount(Counter c, int want) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (c.n.get() < want) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + c.n.get() + " of " + want + " notifications arrived in 300 s");
            }
            Eventlet.sleep(0.002);
        }
    }

    /** Delivered/s on zmq: the listener takes them while one sender sends (no queue to fill). */
    private double zmqDelivered(String zmqUrl) throws Exception {
        String topic = topic("zmqdeliver");
        try (Transport listening = Transport.create(zmqUrl); Transport sending = Transport.create(zmqUrl)) {
            Counter c = new Counter();
            NotificationListener l = new NotificationListener(listening, List.of(new Target(topic)), List.of(c), null);
            l.start();
            fill(sending, topic);
            awaitCount(c, count);
            l.stop();
            l.await();
            return c.rate();
        }
    }

    private Path script() {
        return Path.of(System.getProperty("jeventlet.root", ".")).resolve("rpc/src/test/python/oslo_notify_peer.py");
    }

    private static final Pattern SECONDS = Pattern.compile("\"seconds\": ([0-9.eE-]+)");

    private double pythonSend() throws Exception {
        String topic = topic("pysend");
        String out = run(List.of(python.toString(), script().toString(), "notify", "--url", url, "--topic", topic,
                "--count", Integer.toString(count), "--payload", "{\"router\": {\"id\": \"r-1\", \"status\": \"ACTIVE\","
                        + " \"ha\": false}, \"host\": \"bench-host\"}"), null);
        return count / seconds(out);
    }

    private double pythonDelivered() throws Exception {
        String topic = topic("pydeliver");
        try (Transport t = Transport.create(url)) {
            fill(t, topic);
        }
        String out = run(List.of(python.toString(), script().toString(), "listen", "--url", url, "--topic", topic,
                "--count", Integer.toString(count), "--quiet"), "");
        return (count - 1) / seconds(out);
    }

    private static double seconds(String out) {
        Matcher m = SECONDS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("the python peer printed no timing: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (stdin == null) {
                p.getOutputStream().close();
            }
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException(cmd + " did not finish within 600 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private void deleteQueues() {
        TransportUrl.Host h = TransportUrl.parse(url).hosts().get(0);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(h.hostname());
        f.setPort(h.port() < 0 ? 5672 : h.port());
        if (h.username() != null) {
            f.setUsername(h.username());
            f.setPassword(h.password());
        }
        try (Connection c = f.newConnection("notify-bench-cleanup")) {
            for (String q : queues) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q);
                }
            }
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            System.err.println("cleaning the bench queues: " + e);
        }
    }
}

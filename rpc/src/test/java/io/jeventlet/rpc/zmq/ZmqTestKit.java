package io.jeventlet.rpc.zmq;

import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.ReplyHandler;
import io.jeventlet.rpc.spi.TransportUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drivers at the SPI level for tests: bodies are the JSON string
 * {@code "<reply address>|<msg id>|<payload>"} instead of envelopes (a server
 * driver refuses a call whose body is not JSON), and an echo server answers
 * {@code "<msg id>|<server name>:<payload>"}; {@link #text} and {@link #body}
 * convert.
 */
final class ZmqTestKit {
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * Seconds a child JVM may take to start and say so, at most: only a bound on a wait for its
     * line, so generous (a cold JVM on two cores shared with brokers and builds has taken 30 s).
     */
    static final long CHILD_START_SECONDS = 60;
    /** The line a proxy logs once it listens; group 1 is the port (the one it picked when given 0). */
    static final Pattern PROXY_LISTENING = Pattern.compile("zmq proxy listening on tcp://127\\.0\\.0\\.1:(\\d+)");

    private ZmqTestKit() {
    }

    /** A test body: {@code text} as a JSON string (test payloads hold no quotes or backslashes). */
    static byte[] body(String text) {
        return ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** The text of a test body (the JSON string's content). */
    static String text(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Options with fast heartbeats so that liveness tests take about a second. */
    static ConfigOpts fastConf() {
        return ConfigOpts.builder()
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25)
                .override(ZmqOpts.REGISTRATION_TTL, 2.5)
                .override(ZmqOpts.CONNECT_TIMEOUT, 5.0)
                .load();
    }

    /** What came back for a client's calls. */
    static final class Replies implements ReplyHandler {
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        final BlockingQueue<String> failures = new LinkedBlockingQueue<>();
        final BlockingQueue<DriverException> errors = new LinkedBlockingQueue<>();

        @Override
        public Received onReply(byte[] body) {
            replies.add(text(body));
            return null;
        }

        @Override
        public Received onReplyFor(String msgId, byte[] body, java.util.function.Predicate<Received> admit) {
            return admit.test(new Received(msgId, true)) ? onReply(body) : null;
        }

        @Override
        public void onUndeliverable(String msgId, DriverException error) {
            errors.add(error);      // first: a test that sees the msg id then reads the error
            failures.add(msgId);
        }

        String nextReply(double seconds) throws InterruptedException {
            return replies.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        }
    }

    /** The zmq driver of a transport made by {@code Transport.create} (for its counters). */
    static ZmqDriver driverOf(io.jeventlet.rpc.Transport transport) {
        return (ZmqDriver) io.jeventlet.rpc.Drivers.of(transport);
    }

    static ZmqDriver open(String url, ConfigOpts conf, ReplyHandler replies) {
        return (ZmqDriver) new ZmqDriverFactory().open(TransportUrl.parse(url), new DriverContext(conf, replies));
    }

    /** Sends a call whose body the echo server understands; returns its msg id. */
    static String call(Driver driver, Address target, String payload, double timeout) {
        String msgId = "m" + IDS.incrementAndGet();
        byte[] body = body(driver.replyAddress() + "|" + msgId + "|" + payload);
        driver.send(target, new OutgoingMessage(body, msgId, timeout));
        return msgId;
    }

    static void cast(Driver driver, Address target, String payload) {
        byte[] body = body("-|-|" + payload);
        driver.send(target, new OutgoingMessage(body, null, 0));
    }

    /** A server that answers each call with its name and the payload, and records casts. */
    static Listener echo(Driver driver, Address target, BlockingQueue<String> seen) {
        String name = target.server();
        return driver.listen(target, (IncomingMessage m) -> {
            String[] parts = text(m.body()).split("\\|", 3);
            if (parts.length < 3) {
                return; // not a test body (fuzzed frames): ignore it
            }
            if (seen != null) {
                seen.add(name + ":" + parts[2]);
            }
            if (!parts[0].equals("-")) {
                m.reply(parts[0], body(parts[1] + "|" + name + ":" + parts[2]));
            }
        });
    }

    /**
     * Waits cooperatively (a server on the caller's hub keeps serving), up to
     * {@link #CHILD_START_SECONDS}, until {@code file} (a child process's output) matches
     * {@code pattern}; returns group 1. Fails with the file's text if the process ends first or
     * the time passes.
     */
    static String awaitMatch(Process p, Path file, Pattern pattern) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_START_SECONDS);
        while (true) {
            String text = Files.exists(file) ? Files.readString(file) : "";
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError((p.isAlive() ? "never saw " : "the process ended before ") + pattern
                        + " in " + file + ": " + text);
            }
            Eventlet.sleep(0.05);
        }
    }

    /** Polls {@code condition} every 10 ms until it holds; fails naming {@code what} after {@code seconds}. */
    static void await(String what, double seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}

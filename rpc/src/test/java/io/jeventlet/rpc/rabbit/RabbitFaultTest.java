package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jeventlet.LogCapture;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.DriverTimeoutException;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportUrl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.Level;

/**
 * Broker faults an operator meets, on the tests' own cluster
 * ({@link RabbitCluster}; node 1 unless a test says otherwise): refused
 * re-declarations, logins, a missing reply queue, a blocked broker, and the
 * spread of connections over a cluster's nodes. Each of these failed before
 * the driver handled it.
 */
class RabbitFaultTest {

    /** The cluster's first start takes longer than a test's default time limit. */
    @org.junit.jupiter.api.BeforeAll
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    static void cluster() {
        RabbitCluster.ensure();
    }
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    RabbitDriver driver(String url, RabbitDriverTest.Replies replies, String... conf) {
        RabbitDriver d = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                new DriverContext(RabbitDriverTest.conf(conf), replies));
        open.add(d);
        return d;
    }

    static Connection raw(int node) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(RabbitCluster.port(node));
        return f.newConnection("jeventlet-test-raw");
    }

    private void call(RabbitDriver client, RabbitDriverTest.Replies replies, Address target, String id, double seconds)
            throws InterruptedException {
        client.send(target, new OutgoingMessage(Envelopes.request("ping", id, client.replyAddress()), id, seconds));
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            byte[] r = replies.replies.poll(50, TimeUnit.MILLISECONDS);
            if (r != null && id.equals(Envelopes.unwrap(r).get("_msg_id"))) {
                return;
            }
            String failed = replies.undeliverable.poll();
            if (id.equals(failed)) {
                throw new AssertionError("call " + id + " failed: " + replies.errors.poll());
            }
        }
        throw new AssertionError("no reply to call " + id + " within " + seconds + " s");
    }

    /** Calls {@code target} until one is answered, each with a short timeout; fails after {@code seconds}. */
    private void callUntilServed(RabbitDriver client, RabbitDriverTest.Replies replies, Address target, double seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AssertionError last = null;
        int i = 0;
        while (System.nanoTime() < deadline) {
            try {
                call(client, replies, target, "probe-" + i++, 1);
                return;
            } catch (AssertionError | DriverException e) {
                last = e instanceof AssertionError a ? a : new AssertionError(e);
            }
        }
        throw new AssertionError(target + " was not served within " + seconds + " s", last);
    }

    /**
     * A queue replaced under a running server by one with other flags: only its
     * re-declaration is retried; the server's other target and the client go on,
     * across a dropped connection too; serving resumes once the conflict is gone.
     */
    @Test
    void refusedRedeclarationIsRetriedAlone() throws Exception {
        String url = RabbitCluster.url(1);
        RabbitDriverTest.Replies replies = new RabbitDriverTest.Replies();
        RabbitDriver server = driver(url, new RabbitDriverTest.Replies());
        RabbitDriver client = driver(url, replies);
        String t1 = RabbitDriverTest.topic();
        String t2 = RabbitDriverTest.topic();
        LinkedBlockingQueue<IncomingMessage> seen = new LinkedBlockingQueue<>();
        open.add(RabbitDriverTest.echoServer(server, new Address(t1).withServer("s1"), seen));
        open.add(RabbitDriverTest.echoServer(server, new Address(t2).withServer("s1"), seen));
        call(client, replies, new Address(t1), "before", 5);

        Connection raw = raw(1);
        try (LogCapture log = new LogCapture(BrokerConnection.class, Level.DEBUG)) {
            // Durable: what the server declares is not. The server re-declares a deleted queue at once, so
            // the replacement may lose the race a few times.
            boolean replaced = false;
            for (int i = 0; i < 50 && !replaced; i++) {
                Channel ch = raw.createChannel();
                try {
                    ch.queueDelete(t1);
                    ch.queueDeclare(t1, true, false, false, null);
                    replaced = true;
                } catch (java.io.IOException e) {
                    // The server declared it again between the delete and the declare: once more.
                }
            }
            assertTrue(replaced, "could not replace queue " + t1 + " by a durable one in 50 attempts");
            RabbitReconnectTest.await(() -> log.text().contains(t1) && log.text().contains("PRECONDITION_FAILED"), 10,
                    "an error naming the refused queue " + t1);
            call(client, replies, new Address(t2), "other-topic", 3);

            // The broker drops every connection while the conflict lasts: the rest comes back regardless.
            RabbitCluster.ctl(1, "close_all_connections", "test: connection dropped during a conflict");
            RabbitReconnectTest.await(() -> server.io().connected() && client.io().connected(), 5, "reconnection");
            callUntilServed(client, replies, new Address(t2), 3);
        } finally {
            raw.abort(); // closed by the broker already
        }
        try (Connection raw2 = raw(1); Channel ch = raw2.createChannel()) {
            ch.queueDelete(t1);
            callUntilServed(client, replies, new Address(t1), 5);
        }
    }

    /** A '+' in a URL's password is a '+', as oslo (percent-decoding, not form-decoding) reads it. */
    @Test
    void plusInPasswordIsKept() {
        RabbitCluster.ensure();
        String user = "jev_plus_" + OsloTopology.uuidHex().substring(0, 6);
        RabbitCluster.ctl(1, "add_user", user, "a+b c");
        try {
            RabbitCluster.ctl(1, "set_permissions", "-p", "/", user, ".*", ".*", ".*");
            TransportUrl url = TransportUrl.parse("rabbit://" + user + ":a+b%20c@127.0.0.1:" + RabbitCluster.port(1) + "/");
            assertEquals("a+b c", url.hosts().get(0).password());
            RabbitDriver d = driver(url.toString().replace("****", "a+b%20c"), new RabbitDriverTest.Replies(),
                    "rpc.response_timeout", "5s");
            // A fanout cast needs no server: confirmed once the broker has it, so the login worked.
            d.send(new Address(RabbitDriverTest.topic()).withFanout(true),
                    new OutgoingMessage(Envelopes.request("x", null, null), null, 0));
        } finally {
            RabbitCluster.ctl(1, "delete_user", user);
        }
    }

    /**
     * A refused login ends sends at once with a DriverException naming the
     * login, the user and the host, never the password; ERROR once per outage.
     */
    @Test
    void refusedLoginIsNamed() {
        String url = "rabbit://guest:wrong-secret-42@127.0.0.1:" + RabbitCluster.port(1) + "/";
        RabbitCluster.ensure();
        try (LogCapture log = new LogCapture(BrokerConnection.class)) {
            RabbitDriver d = driver(url, new RabbitDriverTest.Replies(), "rpc.response_timeout", "20s");
            Address fanout = new Address(RabbitDriverTest.topic()).withFanout(true);
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                DriverException e = assertThrows(DriverException.class, () -> d.send(fanout,
                        new OutgoingMessage(Envelopes.request("x", null, null), null, 0)));
                assertFalse(e instanceof DriverTimeoutException, "a refused login is not a timeout: " + e);
                String m = e.getMessage();
                assertTrue(m.contains("login") && m.contains("refused") && m.contains("guest")
                        && m.contains("127.0.0.1:" + RabbitCluster.port(1)), m);
                assertFalse(m.contains("wrong-secret-42"), "the password is shown: " + m);
                assertTrue(System.nanoTime() - t0 < 10e9, "the send took more than 10 s");
            }
            assertEquals(1, log.errors().size(), "ERROR lines: " + log.errors());
            assertFalse(log.text().contains("wrong-secret-42"), "the password is logged");
        }
    }

    /** EXTERNAL: the TLS client certificate's CN is the user, no password (rabbit_login_method). */
    @Test
    void externalLoginWithClientCertificate() {
        RabbitCluster.ensure();
        String user = "jeventlet-test-client";
        RabbitCluster.ctl(1, "add_user", user, OsloTopology.uuidHex());
        try {
            RabbitCluster.ctl(1, "set_permissions", "-p", "/", user, ".*", ".*", ".*");
            String url = "rabbit://127.0.0.1:" + RabbitCluster.tlsPort(1) + "/";
            RabbitDriver d = driver(url, new RabbitDriverTest.Replies(), "rabbit.ssl", "true",
                    "rabbit.ssl_ca_file", RabbitTlsTest.TLS_DIR.resolve("ca.pem").toString(),
                    "rabbit.ssl_cert_file", RabbitTlsTest.TLS_DIR.resolve("client.pem").toString(),
                    "rabbit.ssl_key_file", RabbitTlsTest.TLS_DIR.resolve("client.key").toString(),
                    "rabbit.rabbit_login_method", "EXTERNAL", "rpc.response_timeout", "10s");
            d.send(new Address(RabbitDriverTest.topic()).withFanout(true),
                    new OutgoingMessage(Envelopes.request("x", null, null), null, 0));
            String conns = RabbitCluster.ctl(1, "list_connections", "user", "auth_mechanism");
            assertTrue(conns.lines().anyMatch(l -> l.contains(user) && l.contains("EXTERNAL")), conns);
        } finally {
            RabbitCluster.ctl(1, "delete_user", user);
        }
    }

    /**
     * A reply whose reply queue is missing for a moment is published again
     * (mandatory, NO_ROUTE) until the queue is back, as oslo's server does.
     */
    @Test
    void replyToMomentarilyMissingQueueIsRetried() throws Exception {
        RabbitDriver server = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies());
        String topic = RabbitDriverTest.topic();
        LinkedBlockingQueue<IncomingMessage> seen = new LinkedBlockingQueue<>();
        open.add(RabbitDriverTest.echoServer(server, new Address(topic).withServer("s1"), seen));
        String replyQ = OsloTopology.replyQueue();
        try (LogCapture log = new LogCapture(RabbitDriver.class, Level.INFO);
             Connection raw = raw(1); Channel ch = raw.createChannel()) {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .expiration("20000").build();
            ch.basicPublish("openstack", topic, props, Envelopes.request("late", "m-late", replyQ));
            assertNotNull(seen.poll(10, TimeUnit.SECONDS), "the request never reached the server");
            // The queue comes only once the first reply has come back unroutable (NO_ROUTE).
            RabbitReconnectTest.await(() -> log.count("reply queue '" + replyQ + "' does not exist (yet)") == 1, 10,
                    "the first reply returned for want of its queue");
            ch.queueDeclare(replyQ, false, false, true, null);
            LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
            ch.basicConsume(replyQ, true, (tag, d) -> got.add(d.getBody()), tag -> { });
            byte[] reply = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(reply, "the reply was not sent again once its queue was back");
            assertEquals("m-late", Envelopes.unwrap(reply).get("_msg_id"));
        }
    }

    /**
     * A broker in a memory alarm blocks publishers: WARN with its reason, a
     * cast ends within its timeout in a DriverTimeoutException naming the alarm,
     * stop still works, INFO when unblocked and casts go through again.
     */
    @Test
    void blockedBrokerIsNamed() throws Exception {
        RabbitDriverTest.Replies replies = new RabbitDriverTest.Replies();
        RabbitDriver server = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies());
        RabbitDriver client = driver(RabbitCluster.url(1), replies, "rpc.response_timeout", "2s");
        String topic = RabbitDriverTest.topic();
        Address target = new Address(topic).withServer("s1");
        LinkedBlockingQueue<IncomingMessage> seen = new LinkedBlockingQueue<>();
        Listener listener = RabbitDriverTest.echoServer(server, target, seen);
        call(client, replies, target, "before", 5);
        try (LogCapture log = new LogCapture(BrokerConnection.class, Level.INFO)) {
            RabbitCluster.ctl(1, "set_vm_memory_high_watermark", "0.00001");
            try {
                long t0 = System.nanoTime();
                DriverException e = assertThrows(DriverException.class, () -> {
                    // The first publish may slip through before the broker blocks the connection.
                    for (int i = 0; i < 20; i++) {
                        client.send(target, new OutgoingMessage(Envelopes.request("c", null, null), null, 0));
                    }
                });
                assertInstanceOf(DriverTimeoutException.class, e);
                assertTrue(e.getMessage().contains("blocked") && e.getMessage().contains("memory"), e.getMessage());
                assertTrue(System.nanoTime() - t0 < 10e9, "the blocked cast did not end within its timeout");
                assertTrue(log.lines().stream().anyMatch(l -> l.contains("blocked") && l.contains("memory")),
                        log.text());
                long s0 = System.nanoTime();
                listener.stop();
                assertTrue(System.nanoTime() - s0 < 7e9, "stop took more than 7 s on a blocked broker");
            } finally {
                RabbitCluster.ctl(1, "set_vm_memory_high_watermark", "0.4");
            }
            RabbitReconnectTest.await(() -> log.text().contains("unblocked"), 10, "the unblocked notice");
            client.send(new Address(topic).withFanout(true),
                    new OutgoingMessage(Envelopes.request("c", null, null), null, 0));
        }
        listener.close();
    }

    /**
     * A listener's stop waits for the broker's cancel-oks off the I/O thread:
     * on a connection the broker blocks (it reads nothing more from it, so the
     * cancels stay unanswered) the I/O thread still runs other work at once.
     */
    @Test
    void stopNeverBlocksTheIoThread() throws Exception {
        RabbitDriver d = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies(), "rpc.response_timeout", "1s");
        String topic = RabbitDriverTest.topic();
        Listener listener = RabbitDriverTest.echoServer(d, new Address(topic).withServer("s1"), new LinkedBlockingQueue<>());
        assertStopLeavesTheIoThreadFree(d, topic, listener, "a listener's stop");
    }

    /**
     * A notification listener's stop, like a server's, waits for the cancel-oks
     * off the I/O thread: it used to cancel on the I/O thread itself and hold it
     * for up to 10 s on a connection the broker blocks.
     */
    @Test
    void notificationListenerStopNeverBlocksTheIoThread() throws Exception {
        RabbitDriver d = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies(), "rpc.response_timeout", "1s");
        String topic = RabbitDriverTest.topic();
        Listener listener = d.listenForNotifications(
                List.of(new io.jeventlet.rpc.spi.NotificationDriver.Binding("openstack", topic + ".info")), null,
                IncomingMessage::acknowledge);
        assertStopLeavesTheIoThreadFree(d, topic, listener, "a notification listener's stop");
    }

    /**
     * Blocks {@code d}'s connection with a memory alarm on node 1, stops {@code listener} and checks that the
     * connection's I/O thread still runs a task at once: the stop's cancels are never answered while blocked.
     */
    private static void assertStopLeavesTheIoThreadFree(RabbitDriver d, String topic, Listener listener, String what)
            throws Exception {
        RabbitCluster.ctl(1, "set_vm_memory_high_watermark", "0.00001");
        try {
            // A publish during the alarm makes the broker block this connection.
            assertThrows(DriverTimeoutException.class, () -> {
                for (int i = 0; i < 20; i++) {
                    d.send(new Address(topic).withFanout(true),
                            new OutgoingMessage(Envelopes.request("c", null, null), null, 0));
                }
            });
            Thread stopper = Thread.ofVirtual().start(listener::stop);
            // Once the stopper waits (or is done), its cancels were handed over: the probe queues behind them.
            RabbitReconnectTest.await(() -> switch (stopper.getState()) {
                case WAITING, TIMED_WAITING, TERMINATED -> true;
                default -> false;
            }, 10, "the stop handing over its cancels");
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            d.io().submit(new BrokerConnection.IoTask() {
                @Override
                public void run(BrokerConnection io) {
                    ran.countDown();
                }

                @Override
                public void fail(Throwable error) {
                }
            });
            assertTrue(ran.await(1, TimeUnit.SECONDS), "the I/O thread was held by " + what);
            stopper.join(10_000);
        } finally {
            RabbitCluster.ctl(1, "set_vm_memory_high_watermark", "0.4");
        }
        listener.close();
    }

    /** Connections of a three-node URL are spread over the nodes (oslo shuffles the hosts per connection). */
    @Test
    void hostsAreShuffledPerConnection() throws Exception {
        String url = RabbitCluster.url(1, 2, 3);
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            RabbitDriver d = driver(url, new RabbitDriverTest.Replies());
            RabbitReconnectTest.await(() -> d.io().connected(), 10, "connection " + i);
            nodes.add(String.valueOf(d.io().connectedTo()));
        }
        assertTrue(nodes.size() >= 2, "all 12 connections landed on " + nodes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> none() {
        return Map.of();
    }

    static ConfigOpts conf(String... kv) {
        return RabbitDriverTest.conf(kv);
    }
}

package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.Listener;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The zmq driver and one proxy at the SPI level: routing, no-route, fanout, expiry, close. */
class ZmqDriverTest {
    private final ConfigOpts conf = ZmqTestKit.fastConf();
    private ZmqProxy proxy;
    private ZmqDriver client;
    private ZmqDriver serverA;
    private ZmqDriver serverB;
    private final ZmqTestKit.Replies replies = new ZmqTestKit.Replies();

    @BeforeEach
    void start() {
        proxy = ZmqProxy.start("tcp://127.0.0.1:0", conf);
        client = ZmqTestKit.open(proxy.transportUrl(), conf, replies);
        serverA = ZmqTestKit.open(proxy.transportUrl(), conf, new ZmqTestKit.Replies());
        serverB = ZmqTestKit.open(proxy.transportUrl(), conf, new ZmqTestKit.Replies());
    }

    @AfterEach
    void stop() {
        client.close();
        serverA.close();
        serverB.close();
        proxy.close();
    }

    /**
     * A server whose connection closes is forgotten at once (the proxy's
     * disconnect notice), not after its registration's TTL: with a 30 s TTL
     * the registration is gone within a few seconds and a call gets NOROUTE.
     */
    @Test
    void closedServerIsForgottenAtOnce() throws Exception {
        ConfigOpts longTtl = ConfigOpts.builder()
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25)
                .override(ZmqOpts.REGISTRATION_TTL, 30.0)
                .override(ZmqOpts.CONNECT_TIMEOUT, 5.0)
                .load();
        ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), longTtl, new ZmqTestKit.Replies());
        ZmqTestKit.echo(server, new Address("gone").withServer("s"), null);
        ZmqTestKit.await("the registration", 5, () -> proxy.registered() == 1);
        long t0 = System.nanoTime();
        server.close();
        ZmqTestKit.await("the closed server to be forgotten", 10, () -> proxy.registered() == 0);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        String id = ZmqTestKit.call(client, new Address("gone"), "x", 5);
        assertEquals(id, replies.failures.poll(5, TimeUnit.SECONDS), "NOROUTE for the forgotten server");
    }

    /** A call to topic.server reaches that server and its reply comes back to the caller. */
    @Test
    void callToServerRoundTrips() throws Exception {
        ZmqTestKit.echo(serverA, new Address("t").withServer("a"), null);
        ZmqTestKit.echo(serverB, new Address("t").withServer("b"), null);
        String id = ZmqTestKit.call(client, new Address("t").withServer("b"), "hi", 5);
        assertEquals(id + "|b:hi", replies.nextReply(15));
    }

    /** Calls to a topic alternate between its live servers. */
    @Test
    void topicCallsAreSharedRoundRobin() throws Exception {
        ZmqTestKit.echo(serverA, new Address("t").withServer("a"), null);
        ZmqTestKit.echo(serverB, new Address("t").withServer("b"), null);
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ZmqTestKit.call(client, new Address("t"), "x", 5);
            servers.add(replies.nextReply(15).split("\\|")[1].split(":")[0]);
        }
        assertEquals(Set.of("a", "b"), servers);
    }

    /** Two registrations of the same (topic, server) share its requests. */
    @Test
    void sameServerTwiceSharesRequests() throws Exception {
        BlockingQueue<String> seenA = new LinkedBlockingQueue<>();
        BlockingQueue<String> seenB = new LinkedBlockingQueue<>();
        ZmqTestKit.echo(serverA, new Address("t").withServer("same"), seenA);
        ZmqTestKit.echo(serverB, new Address("t").withServer("same"), seenB);
        for (int i = 0; i < 6; i++) {
            ZmqTestKit.call(client, new Address("t").withServer("same"), "x" + i, 5);
            replies.nextReply(15);
        }
        assertEquals(3, seenA.size());
        assertEquals(3, seenB.size());
    }

    /** A fanout cast reaches every server of the topic once, the proxy doing the fan-out. */
    @Test
    void fanoutReachesEveryServer() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        ZmqTestKit.echo(serverA, new Address("t").withServer("a"), seen);
        ZmqTestKit.echo(serverB, new Address("t").withServer("b"), seen);
        ZmqTestKit.cast(client, new Address("t").withFanout(true), "all");
        Set<String> got = new HashSet<>();
        got.add(seen.poll(5, TimeUnit.SECONDS));
        got.add(seen.poll(5, TimeUnit.SECONDS));
        assertEquals(Set.of("a:all", "b:all"), got);
    }

    /** A call to a target with no live server fails at once with DeliveryException. */
    @Test
    void callWithNoServerFailsFast() throws Exception {
        long t0 = System.nanoTime();
        String id = ZmqTestKit.call(client, new Address("nobody"), "x", 30);
        assertEquals(id, replies.failures.poll(15, TimeUnit.SECONDS));
        assertInstanceOf(DeliveryException.class, replies.errors.poll());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "no-route took longer than 10 s (the call's timeout is 30 s)");
        assertEquals(1L, proxy.stats().get("noroute"));
    }

    /** A cast to a target with no live server is dropped and counted at the proxy. */
    @Test
    void castWithNoServerIsCounted() throws Exception {
        ZmqTestKit.cast(client, new Address("nobody"), "x");
        ZmqTestKit.await("the dropped cast to be counted", 15,
                () -> proxy.stats().getOrDefault("cast_dropped", 0L) == 1L);
    }

    /** A server whose heartbeats stop is forgotten by the proxy after the TTL, and its topic calls fail fast. */
    @Test
    void registrationExpiresWhenHeartbeatsStop() throws Exception {
        ZmqTestKit.echo(serverA, new Address("t").withServer("a"), null);
        serverA.close();
        ZmqTestKit.await("the registration to go", 15, () -> {
            ZmqTestKit.call(client, new Address("t"), "x", 5);
            try {
                return replies.failures.poll(2, TimeUnit.SECONDS) != null;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertInstanceOf(DeliveryException.class, replies.errors.poll());
    }

    /** A stopped listener unregisters, so calls to it fail fast instead of reaching it. */
    @Test
    void stoppedListenerUnregisters() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Listener l = ZmqTestKit.echo(serverA, new Address("t").withServer("a"), seen);
        l.stop();
        ZmqTestKit.await("the unregistration", 15, () -> {
            ZmqTestKit.call(client, new Address("t").withServer("a"), "x", 5);
            try {
                return replies.failures.poll(2, TimeUnit.SECONDS) != null;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(seen.isEmpty() || seen.stream().allMatch(s -> s.startsWith("a:")));
    }

    /** A server handler that throws loses only that message: the driver keeps delivering. */
    @Test
    void failingHandlerDoesNotStopTheDriver() throws Exception {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        serverA.listen(new Address("t").withServer("a"), m -> {
            if (n.incrementAndGet() == 1) {
                throw new IllegalStateException("handler bug");
            }
            String[] parts = ZmqTestKit.text(m.body()).split("\\|", 3);
            m.reply(parts[0], ZmqTestKit.body(parts[1] + "|ok"));
        });
        ZmqTestKit.call(client, new Address("t").withServer("a"), "lost", 5);
        String id = ZmqTestKit.call(client, new Address("t").withServer("a"), "second", 5);
        assertEquals(id + "|ok", replies.nextReply(15));
    }

    /** close() leaves no thread of the driver or of JeroMQ behind. */
    @Test
    void closeLeavesNoThread() throws Exception {
        // The fixture's drivers start their JeroMQ threads lazily: let them, so that only d's are new.
        ZmqTestKit.await("the fixture's drivers to connect", 15,
                () -> client.anyProxyUp() && serverA.anyProxyUp() && serverB.anyProxyUp());
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ZmqDriver d = ZmqTestKit.open(proxy.transportUrl(), conf, new ZmqTestKit.Replies());
        ZmqTestKit.echo(d, new Address("t").withServer("z"), null);
        List<Thread> owners = d.socketThreads();
        assertEquals(2, owners.size(), "one owner per socket: a sending and a receiving socket for the one proxy");
        assertTrue(owners.stream().allMatch(Thread::isAlive));
        d.close();
        assertTrue(owners.stream().noneMatch(Thread::isAlive), "a socket owner outlived close(): " + owners);
        long deadline = System.nanoTime() + 5_000_000_000L;
        Set<String> extra;
        do {
            Thread.sleep(10);
            extra = new HashSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && !before.contains(t)) {
                    extra.add(t.getName());
                }
            }
        } while (!extra.isEmpty() && System.nanoTime() < deadline);
        assertTrue(extra.isEmpty(), "threads outlived close(): " + extra);
    }
}

package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.EventCounter;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.TransportEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proxies that die or restart under clients and servers of the zmq driver. */
class ZmqFailoverTest {
    private final ConfigOpts conf = ZmqTestKit.fastConf();

    /** With two proxies, killing one loses no call: in-flight ones are re-sent, new ones go through the other. */
    @Test
    void oneOfTwoProxiesDiesAndNoCallFails() throws Exception {
        ZmqProxy p1 = ZmqProxy.start("tcp://127.0.0.1:0", conf);
        ZmqProxy p2 = ZmqProxy.start("tcp://127.0.0.1:0", conf);
        String url = p1.transportUrl() + "," + p2.transportUrl().substring("zmq://".length());
        ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
        try (ZmqDriver server = ZmqTestKit.open(url, conf, new ZmqTestKit.Replies());
                ZmqDriver client = ZmqTestKit.open(url, conf, replies)) {
            ZmqTestKit.echo(server, new Address("t").withServer("s"), null);
            // Both proxies must know the server before one dies.
            ZmqTestKit.await("both proxies route", 15, () -> {
                ZmqTestKit.call(client, new Address("t"), "warm", 5);
                ZmqTestKit.call(client, new Address("t"), "warm", 5);
                try {
                    replies.nextReply(15);
                    replies.nextReply(15);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                replies.failures.clear();
                return p1.stats().getOrDefault("routed", 0L) > 0 && p2.stats().getOrDefault("routed", 0L) > 0;
            });
            replies.replies.clear();
            int calls = 200;
            for (int i = 0; i < calls; i++) {
                ZmqTestKit.call(client, new Address("t"), "n" + i, 10);
                if (i == 50) {
                    p1.close();
                }
                Thread.sleep(2);
            }
            for (int i = 0; i < calls; i++) {
                String r = replies.nextReply(10);
                assertTrue(r != null, "reply " + i + " of " + calls + " missing; failures " + replies.errors);
            }
            assertTrue(replies.errors.isEmpty(), "calls failed: " + replies.errors);
        } finally {
            p1.close();
            p2.close();
        }
    }

    /**
     * A proxy restarted under load: a call during the outage ends in a typed
     * error within its timeout, the server re-registers by itself, and calls
     * after the restart succeed; the loss and the return are DISCONNECTED and
     * RECONNECTED transport events.
     */
    @Test
    void restartedProxyIsRejoined() throws Exception {
        ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", conf);
        EventCounter events = EventCounter.all();
        String endpoint = proxy.endpoint();
        ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
        try (ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), conf, new ZmqTestKit.Replies());
                ZmqDriver client = ZmqTestKit.open(proxy.transportUrl(), conf, replies)) {
            ZmqTestKit.echo(server, new Address("t").withServer("s"), null);
            ZmqTestKit.call(client, new Address("t"), "before", 5);
            assertTrue(replies.nextReply(15).endsWith("s:before"));

            proxy.close();
            long t0 = System.nanoTime();
            try {
                String during = ZmqTestKit.call(client, new Address("t"), "during", 2);
                assertEquals(during, replies.failures.poll(15, TimeUnit.SECONDS), "the outage call did not fail");
                assertInstanceOf(DeliveryException.class, replies.errors.poll());
            } catch (DeliveryException refusedBySend) {
                // No proxy was live when it was sent: refused by send() itself, also typed.
            }
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "the outage error came later than the timeout allows");

            proxy = ZmqProxy.start(endpoint, conf);
            ZmqTestKit.await("a call through the restarted proxy", 20, () -> {
                try {
                    ZmqTestKit.call(client, new Address("t"), "after", 5);
                    String r = replies.nextReply(2);
                    return r != null && r.endsWith("s:after");
                } catch (DeliveryException notYet) {
                    return false;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(events.count(TransportEvent.Kind.DISCONNECTED, "proxy_unreachable") >= 2, events.events().toString());
            assertTrue(events.count(TransportEvent.Kind.RECONNECTED, "") >= 2, events.events().toString());
        } finally {
            events.close();
            proxy.close();
        }
    }

    /**
     * Every peer comes back after each of several quick proxy restarts on the same port: each of
     * four servers answers a call after every restart (a peer's home connection is replaced
     * under a new identity each time it is lost).
     */
    @Test
    @org.junit.jupiter.api.Timeout(150) // 6 restarts of about 3 s, on a loaded machine
    void everyPeerRejoinsAfterEachOfManyRestarts() throws Exception {
        int cycles = Integer.getInteger("jeventlet.test.restarts", 6);
        ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", conf);
        String endpoint = proxy.endpoint();
        ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
        List<ZmqDriver> servers = new java.util.ArrayList<>();
        try (ZmqDriver client = ZmqTestKit.open(proxy.transportUrl(), conf, replies)) {
            for (int i = 0; i < 4; i++) {
                ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), conf, new ZmqTestKit.Replies());
                servers.add(server);
                ZmqTestKit.echo(server, new Address("t").withServer("s" + i), null);
            }
            for (int cycle = 0; cycle <= cycles; cycle++) {
                long began = System.nanoTime();
                if (cycle > 0) {
                    proxy.close();
                    ZmqTestKit.await("every link to see the proxy gone", 10,
                            () -> servers.stream().noneMatch(ZmqDriver::anyProxyUp) && !client.anyProxyUp());
                    proxy = ZmqProxy.start(endpoint, conf);
                }
                for (int i = 0; i < servers.size(); i++) {
                    String name = "s" + i;
                    int c = cycle;
                    ZmqTestKit.await("a call to " + name + " after restart " + cycle, 20, () -> {
                        try {
                            String id = ZmqTestKit.call(client, new Address("t").withServer(name), "c" + c, 2);
                            String r = replies.nextReply(2.5);
                            return r != null && r.equals(id + "|" + name + ":c" + c);
                        } catch (DeliveryException notYet) {
                            return false;
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    });
                }
                System.out.printf("restart %d: all back in %.2f s%n", cycle, (System.nanoTime() - began) / 1e9);
            }
        } finally {
            for (ZmqDriver s : servers) {
                s.close();
            }
            proxy.close();
        }
    }

    /**
     * With no proxy reachable, listen() keeps trying and does not return (a
     * Timeout bounds it); once a proxy starts on the URL's port it returns.
     */
    @Test
    void listenWaitsForAProxy() throws Exception {
        int port = io.jeventlet.rpc.TestPorts.unused();
        try (ZmqDriver server = ZmqTestKit.open("zmq://127.0.0.1:" + port, conf, new ZmqTestKit.Replies())) {
            org.junit.jupiter.api.Assertions.assertThrows(io.jeventlet.Timeout.class,
                    () -> io.jeventlet.Timeout.withTimeout(1.0, () -> ZmqTestKit.echo(server, new Address("t").withServer("w"), null)));
            try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:" + port, conf)) {
                long t0 = System.nanoTime();
                ZmqTestKit.echo(server, new Address("t").withServer("w"), null);
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "listen() took too long once the proxy was up");
            }
        }
    }
}

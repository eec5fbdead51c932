package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenPool;
import io.jeventlet.Tpool;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The driver on a real 3-node cluster ({@link RabbitCluster}) with quorum
 * queues, across the loss of the node a client or server is connected to:
 * no confirmed cast is lost, the connection moves to a surviving node within
 * 5 s, and calls succeed after; concurrent callers each end within their
 * timeout + 5 s.
 */
class RabbitClusterTest {

    /** The cluster's first start takes longer than a test's default time limit. */
    @org.junit.jupiter.api.BeforeAll
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    static void cluster() {
        RabbitCluster.ensure();
    }

    static ConfigOpts conf(String url, String... more) {
        // A control exchange of their own: quorum queues make it durable, and other tests declared 'openstack' not.
        List<String> kv = new ArrayList<>(List.of("rpc.transport_url", url, "rabbit.rabbit_quorum_queue", "true",
                "rpc.response_timeout", "5s", "rpc.control_exchange", "jeventlet_quorum_test"));
        kv.addAll(List.of(more));
        return RabbitDriverTest.conf(kv.toArray(String[]::new));
    }

    /** The node with the most client connections (the cluster is this suite's own: they are ours). */
    static int busiestNode() {
        String pids = RabbitCluster.ctl(1, "list_connections", "pid");
        int best = 1;
        long most = -1;
        for (int n = 1; n <= 3; n++) {
            String node = RabbitCluster.node(n);
            long count = pids.lines().filter(l -> l.contains(node)).count();
            if (count > most) {
                most = count;
                best = n;
            }
        }
        return best;
    }

    static int nodeOf(RabbitDriver d) {
        return d.io().connectedTo().port() - RabbitCluster.BASE_PORT;
    }

    private void numberedCastsAcrossNodeLoss(boolean kill, boolean serverNode) throws Exception {
        String url = RabbitCluster.url(1, 2, 3);
        String topic = RabbitDriverTest.topic();
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (RabbitDriver server = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                new DriverContext(conf(url), new RabbitDriverTest.Replies()));
             RabbitDriver client = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                new DriverContext(conf(url), new RabbitDriverTest.Replies()))) {
            var listener = server.listen(new io.jeventlet.rpc.spi.Address(topic).withServer("s1"), m -> {
                String method = (String) Envelopes.unwrap(m.body()).get("method");
                received.add(Integer.parseInt(method.substring(1)));
                m.acknowledge();
            });
            AtomicBoolean running = new AtomicBoolean(true);
            Thread caster = Thread.ofPlatform().name("numbered-casts").start(() -> {
                for (int i = 0; running.get() && i < 100_000; i++) {
                    try {
                        client.send(new io.jeventlet.rpc.spi.Address(topic), new OutgoingMessage(Envelopes.request("n" + i, null, null),
                                null, 0));
                        confirmed.add(i);
                    } catch (io.jeventlet.rpc.spi.DriverException e) {
                        failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            });
            RabbitReconnectTest.await(() -> confirmed.size() > 200, 20, "200 confirmed casts");
            RabbitDriver victim = serverNode ? server : client;
            int node = nodeOf(victim);
            long t0 = System.nanoTime();
            if (kill) {
                RabbitCluster.kill(node);
            } else {
                RabbitCluster.ctl(node, "stop_app");
            }
            try {
                RabbitReconnectTest.await(() -> victim.io().connected() && nodeOf(victim) != node, 5,
                        "reconnection to a surviving node");
                long reconnectMs = (System.nanoTime() - t0) / 1_000_000;
                int after = confirmed.size();
                RabbitReconnectTest.await(() -> confirmed.size() > after + 200, 20, "200 casts after the loss");
                running.set(false);
                caster.join(30_000);
                RabbitReconnectTest.await(() -> received.containsAll(confirmed), 20, "every confirmed cast received");
                Set<Integer> lost = new TreeSet<>(confirmed);
                lost.removeAll(received);
                assertEquals(Set.of(), lost, "confirmed casts lost (reconnected in " + reconnectMs + " ms)");
                assertTrue(failures.stream().allMatch(f -> f.startsWith("DeliveryException")
                        || f.startsWith("DriverTimeoutException")), failures.toString());
            } finally {
                running.set(false);
                if (kill) {
                    RabbitCluster.start(node);
                } else {
                    RabbitCluster.ctl(node, "start_app");
                }
            }
            listener.close();
        }
    }

    /** stop_app of the client's node: 0 confirmed casts lost, reconnected within 5 s. */
    @Test
    void numberedCastsAcrossStopAppOfClientNode() throws Exception {
        numberedCastsAcrossNodeLoss(false, false);
    }

    /** The server's node killed (SIGKILL): 0 confirmed casts lost, reconnected within 5 s. */
    @Test
    void numberedCastsAcrossKilledServerNode() throws Exception {
        numberedCastsAcrossNodeLoss(true, true);
    }

    /** 16 concurrent callers across the loss of the node most of their connections use: each call ends within timeout + 5 s; calls succeed after. */
    @Test
    void sixteenCallersAcrossNodeLoss() {
        String url = RabbitCluster.url(1, 2, 3);
        String topic = RabbitDriverTest.topic();
        double timeout = 3;
        try (Transport serverTransport = Transport.create(conf(url));
             Transport clientTransport = Transport.create(conf(url))) {
            RpcServer server = new RpcServer(serverTransport, new Target(topic).withServer("s1"),
                    List.of(new RabbitRpcTest.Calc("s1")));
            server.start();
            try {
                RpcClient client = new RpcClient(clientTransport, new Target(topic)).withTimeout(timeout);
                AtomicBoolean running = new AtomicBoolean(true);
                List<Double> overruns = Collections.synchronizedList(new ArrayList<>());
                List<Integer> ok = Collections.synchronizedList(new ArrayList<>());
                GreenPool callers = new GreenPool(16);
                for (int i = 0; i < 16; i++) {
                    callers.spawnN(() -> {
                        while (running.get()) {
                            double t0 = System.nanoTime() / 1e9;
                            try {
                                client.call(Context.empty(), "add", Map.of("a", 1, "b", 1));
                                ok.add(1);
                            } catch (MessagingException e) {
                                Eventlet.sleep(0.05);
                            }
                            double took = System.nanoTime() / 1e9 - t0;
                            if (took > timeout + 5) {
                                overruns.add(took);
                            }
                        }
                    });
                }
                RabbitRpcTest.poll(() -> ok.size() > 100, 20, "100 calls before the loss");
                int node = busiestNode();
                Tpool.execute(() -> RabbitCluster.ctl(node, "stop_app"));
                try {
                    int before = ok.size();
                    RabbitRpcTest.poll(() -> ok.size() > before + 100, 30, "100 calls after the loss");
                } finally {
                    running.set(false);
                    callers.waitAll();
                    Tpool.execute(() -> RabbitCluster.ctl(node, "start_app"));
                }
                assertEquals(List.of(), overruns, "calls that outlasted timeout + 5 s");
            } finally {
                server.stop();
                server.await();
            }
        }
    }
}

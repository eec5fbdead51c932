package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenPool;
import io.jeventlet.GreenThread;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessageDeliveryFailure;
import io.jeventlet.rpc.MessagingTimeout;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcEndpoint;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.spi.TransportEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RpcClient and RpcServer end to end over rabbit:// on the real broker, on real-time hubs. */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class RabbitRpcTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** The endpoint of these tests. */
    public static final class Calc {
        final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();
        final String name;

        Calc(String name) {
            this.name = name;
        }

        public int add(Context ctx, int a, int b) {
            return a + b;
        }

        public String whoami(Context ctx) {
            return name;
        }

        public Map<String, Object> context(Context ctx) {
            return ctx.asMap();
        }

        public void note(Context ctx, String text) {
            notes.add(text);
        }

        public String nap(Context ctx, double seconds) {
            Eventlet.sleep(seconds);
            return "rested";
        }

        public void fail(Context ctx, String message) {
            throw new IllegalStateException(message);
        }
    }

    /** A second namespace, at version 1.3. */
    @RpcEndpoint(namespace = "ns", version = "1.3")
    public static final class Versioned {
        public String which(Context ctx) {
            return "ns-1.3";
        }
    }

    static ConfigOpts conf() {
        return ConfigOpts.builder()
                .commandLine("rpc.transport_url", RabbitBroker.url())
                .commandLine("rabbit.rabbit_retry_interval", "0.2s")
                .commandLine("rabbit.rabbit_retry_backoff", "0.2s")
                .commandLine("rabbit.rabbit_interval_max", "1s")
                .load();
    }

    Transport transport() {
        Transport t = Transport.create(conf());
        open.add(t);
        return t;
    }

    RpcServer server(Transport t, String topic, String server, Object... endpoints) {
        RpcServer s = new RpcServer(t, new Target(topic).withServer(server), List.of(endpoints));
        s.start();
        open.add(() -> {
            s.stop();
            s.await();
        });
        return s;
    }

    /** Runs {@code body}, then stops its servers and closes its transports on the same thread (their hub). */
    void scenario(Runnable body) {
        try {
            body.run();
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    throw new AssertionError("closing " + open.get(i) + " failed", e);
                }
            }
        }
    }

    static void poll(java.util.function.BooleanSupplier cond, double seconds, String what) {
        double deadline = System.nanoTime() / 1e9 + seconds;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() / 1e9 > deadline) {
                throw new AssertionError(what + " did not happen within " + seconds + " s");
            }
            Eventlet.sleep(0.02);
        }
    }

    /** A call returns the endpoint's result. */
    @Test
    void callReturnsResult() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"));
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(10);
            assertEquals(5, client.call(Context.empty(), "add", Map.of("a", 2, "b", 3)));
        });
    }

    /** The caller's context reaches the endpoint. */
    @Test
    void contextReachesServer() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"));
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(10);
            Object ctx = client.call(Context.of(Map.of("user", "alice", "roles", List.of("admin"))), "context", Map.of());
            assertEquals(Map.of("user", "alice", "roles", List.of("admin")), ctx);
        });
    }

    /** A cast runs the method on the server. */
    @Test
    void castRunsMethod() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            Calc calc = new Calc("s1");
            server(transport(), topic, "s1", calc);
            new RpcClient(transport(), new Target(topic)).cast(Context.empty(), "note", Map.of("text", "hello"));
            poll(() -> calc.notes.contains("hello"), 10, "the cast's method run");
        });
    }

    /** A fanout cast runs on every server of the topic. */
    @Test
    void fanoutCastReachesEveryServer() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            Calc a = new Calc("a");
            Calc b = new Calc("b");
            server(transport(), topic, "a", a);
            server(transport(), topic, "b", b);
            new RpcClient(transport(), new Target(topic)).withFanout(true).cast(Context.empty(), "note", Map.of("text", "all"));
            poll(() -> a.notes.contains("all") && b.notes.contains("all"), 10, "the fanout on both servers");
        });
    }

    /** A call to topic.server is answered by that server only. */
    @Test
    void topicServerReachesThatServer() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "a", new Calc("a"));
            server(transport(), topic, "b", new Calc("b"));
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(10);
            for (int i = 0; i < 5; i++) {
                assertEquals("b", client.withServer("b").call(Context.empty(), "whoami", Map.of()));
                assertEquals("a", client.withServer("a").call(Context.empty(), "whoami", Map.of()));
            }
        });
    }

    /** An endpoint's exception reaches the caller as RemoteError with its class name and message. */
    @Test
    void endpointExceptionIsRemoteError() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"));
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(10);
            RemoteError e = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "fail", Map.of("message", "boom")));
            assertEquals("IllegalStateException", e.excType());
            assertEquals("boom", e.value());
            RemoteError missing = assertThrows(RemoteError.class, () -> client.call(Context.empty(), "nope", Map.of()));
            assertEquals("NoSuchMethod", missing.excType());
        });
    }

    /** Namespace and version select the endpoint; a version above every endpoint's is UnsupportedVersion. */
    @Test
    void namespaceAndVersionDispatch() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"), new Versioned());
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(10).withNamespace("ns");
            assertEquals("ns-1.3", client.withVersion("1.2").call(Context.empty(), "which", Map.of()));
            RemoteError e = assertThrows(RemoteError.class,
                    () -> client.withVersion("2.0").call(Context.empty(), "which", Map.of()));
            assertEquals("UnsupportedVersion", e.excType());
        });
    }

    /** A call whose method outlasts the client's timeout ends in MessagingTimeout near that timeout. */
    @Test
    void slowCallTimesOut() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"));
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(0.5);
            long t0 = System.nanoTime();
            assertThrows(MessagingTimeout.class, () -> client.call(Context.empty(), "nap", Map.of("seconds", 3)));
            double took = (System.nanoTime() - t0) / 1e9;
            assertTrue(took >= 0.4 && took < 2.5, "timed out after " + took + " s");
        });
    }

    /** A call to a topic nobody declared fails at once with MessageDeliveryFailure, not after its timeout. */
    @Test
    void callToUndeclaredTopicFailsFast() {
        scenario(() -> {
            RpcClient client = new RpcClient(transport(), new Target(RabbitDriverTest.topic())).withTimeout(30);
            long t0 = System.nanoTime();
            assertThrows(MessageDeliveryFailure.class, () -> client.call(Context.empty(), "add", Map.of("a", 1, "b", 2)));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "took " + (System.nanoTime() - t0) / 1e6 + " ms");
        });
    }

    /** A malformed message published straight to a server's queue is dropped, and the server goes on serving. */
    @Test
    void malformedMessageIsDroppedAndServerServes() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            Transport serverTransport = transport();
            io.jeventlet.rpc.EventCounter events = io.jeventlet.rpc.EventCounter.of(serverTransport);
            server(serverTransport, topic, "s1", new Calc("s1"));
            publishRaw(topic, "{not json", "{\"oslo.version\": \"2.0\", \"oslo.message\": 42}");
            poll(() -> events.dropped("invalid_request") == 2, 10, "rejection of both malformed messages");
            events.close();
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(10);
            assertEquals(3, client.call(Context.empty(), "add", Map.of("a", 1, "b", 2)));
            assertEquals(0, Integer.parseInt(RabbitBroker.ctl("list_queues", "name", "messages").lines()
                    .filter(l -> l.startsWith(topic + "\t")).findFirst().orElse(topic + "\t0").split("\t")[1].trim()),
                    "the malformed messages are no longer queued");
        });
    }

    /** Publishes {@code bodies} straight to queue {@code queue} with a plain amqp-client connection. */
    static void publishRaw(String queue, String... bodies) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        try (var conn = f.newConnection(); var ch = conn.createChannel()) {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").build();
            for (String b : bodies) {
                ch.basicPublish("", queue, props, b.getBytes(StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("publishing straight to " + queue + " failed", e);
        }
    }

    /** Many green threads calling at once all get their own results. */
    @Test
    void concurrentCallsGetTheirOwnResults() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"));
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(20);
            GreenPool pool = new GreenPool(50);
            List<Integer> wrong = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                pool.spawnN(() -> {
                    Object r = client.call(Context.empty(), "add", Map.of("a", n, "b", 1));
                    if (!Integer.valueOf(n + 1).equals(r)) {
                        wrong.add(n);
                    }
                });
            }
            pool.waitAll();
            assertEquals(List.of(), wrong);
        });
    }

    /**
     * Green threads killed at every point of their sends and calls (the
     * fast path hands each publish to the hub's carrier) never close the
     * connection: no DISCONNECTED event, and calls and casts go on.
     */
    @Test
    void killsDuringSendsLeaveTheConnectionUp() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            Calc calc = new Calc("s1");
            server(transport(), topic, "s1", calc);
            Transport t = transport();
            ConcurrentLinkedQueue<TransportEvent> lost = new ConcurrentLinkedQueue<>();
            open.add(t.events().subscribe(e -> {
                if (e.kind() == TransportEvent.Kind.DISCONNECTED) {
                    lost.add(e);
                }
            }));
            RpcClient client = new RpcClient(t, new Target(topic)).withTimeout(20);
            List<GreenThread<Void>> senders = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                senders.add(Eventlet.spawn(() -> {
                    for (int k = 0; ; k++) {
                        if ((k + n) % 2 == 0) {
                            client.cast(Context.empty(), "note", Map.of("text", "x"));
                        } else {
                            client.call(Context.empty(), "add", Map.of("a", 1, "b", 1));
                        }
                    }
                }));
            }
            // Kill them one by one while the others run, each at whatever point of a send it is.
            for (GreenThread<Void> g : senders) {
                Eventlet.sleep(0.005);
                g.kill();
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(3, client.call(Context.empty(), "add", Map.of("a", 1, "b", 2)));
                client.cast(Context.empty(), "note", Map.of("text", "after"));
            }
            poll(() -> calc.notes.stream().filter("after"::equals).count() == 20, 10, "the casts after the kills");
            assertEquals(List.of(), List.copyOf(lost));
        });
    }

    /** A server whose queue is deleted on the broker declares it again and serves the calls after it. */
    @Test
    void deletedServerQueueIsDeclaredAgain() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"));
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(5);
            assertEquals(2, client.call(Context.empty(), "add", Map.of("a", 1, "b", 1)));
            io.jeventlet.Tpool.execute(() -> RabbitBroker.ctl("delete_queue", topic));
            poll(() -> RabbitBroker.queues().contains(topic), 10, "the topic queue declared again");
            assertEquals(3, client.call(Context.empty(), "add", Map.of("a", 1, "b", 2)));
        });
    }

    /** A client whose reply queue is deleted on the broker gets it back and its later calls are answered. */
    @Test
    void deletedReplyQueueIsDeclaredAgain() {
        scenario(() -> {
            String topic = RabbitDriverTest.topic();
            server(transport(), topic, "s1", new Calc("s1"));
            List<String> before = io.jeventlet.Tpool.execute(RabbitBroker::queues);
            RpcClient client = new RpcClient(transport(), new Target(topic)).withTimeout(5);
            assertEquals(2, client.call(Context.empty(), "add", Map.of("a", 1, "b", 1)));
            // The one reply queue that appeared with the client's transport (the server's existed before).
            List<String> added = io.jeventlet.Tpool.execute(RabbitBroker::queues).stream()
                    .filter(q -> q.startsWith("reply_") && !before.contains(q)).toList();
            assertEquals(1, added.size(), "reply queues added by the client: " + added);
            String reply = added.get(0);
            io.jeventlet.Tpool.execute(() -> RabbitBroker.ctl("delete_queue", reply));
            double deadline = System.nanoTime() / 1e9 + 15;
            Object r = null;
            while (r == null && System.nanoTime() / 1e9 < deadline) {
                try {
                    r = client.call(Context.empty(), "add", Map.of("a", 2, "b", 2));
                } catch (io.jeventlet.rpc.MessagingException e) {
                    Eventlet.sleep(0.1);
                }
            }
            assertEquals(4, r);
        });
    }
}

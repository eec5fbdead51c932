package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.NotificationFilter;
import io.jeventlet.rpc.notify.NotificationListener;
import io.jeventlet.rpc.notify.Notifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Notifications between jeventlet and Python oslo.messaging 14 on the shared
 * broker, both ways, and the queues both declare. Every test uses topics
 * and pools of its own and deletes its queues afterwards.
 */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class NotifyRabbitInteropTest {
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> queuesToDelete = new ArrayList<>();
    private final List<String> exchangesToDelete = new ArrayList<>();

    /** One notification a Java endpoint got. */
    record Got(String priority, Context ctx, String publisherId, String eventType, Object payload,
               Map<String, Object> metadata) {
    }

    /** Records info and error notifications. */
    public static class Recorder {
        final List<Got> got = Collections.synchronizedList(new ArrayList<>());

        public void info(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            got.add(new Got("info", ctx, publisherId, eventType, payload, md));
        }

        public void error(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            got.add(new Got("error", ctx, publisherId, eventType, payload, md));
        }
    }

    /** Only router events from network publishers. */
    @NotificationFilter(publisherId = "network", eventType = "router\\.")
    public static final class RouterOnly extends Recorder {
    }

    private String topic(String name) {
        String t = "notify_" + name + "_" + id;
        for (String p : List.of("info", "error", "warn")) {
            queuesToDelete.add(t + "." + p);
        }
        return t;
    }

    private String pool(String name) {
        String p = "pool_" + name + "_" + id;
        queuesToDelete.add(p);
        return p;
    }

    @AfterEach
    void deleteQueues() throws Exception {
        var url = io.jeventlet.rpc.spi.TransportUrl.parse(RabbitBroker.url()).hosts().get(0);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(url.hostname());
        f.setPort(url.port() < 0 ? 5672 : url.port());
        try (Connection c = f.newConnection("notify-test-cleanup")) {
            for (String q : queuesToDelete) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q);
                }
            }
            for (String e : exchangesToDelete) {
                try (Channel ch = c.createChannel()) {
                    ch.exchangeDelete(e);
                }
            }
        }
    }

    static void poll(BooleanSupplier cond, String what) {
        poll(cond, () -> what);
    }

    static void poll(BooleanSupplier cond, java.util.function.Supplier<String> what) {
        double deadline = System.nanoTime() / 1e9 + 20;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() / 1e9 > deadline) {
                throw new AssertionError(what.get() + " did not happen within 20 s");
            }
            Eventlet.sleep(0.02);
        }
    }

    private static NotificationListener listen(Transport t, String topic, String pool, Object endpoint) {
        NotificationListener l = new NotificationListener(t, List.of(new Target(topic)), List.of(endpoint), pool);
        l.start();
        return l;
    }

    private static void stop(NotificationListener l) {
        l.stop();
        l.await();
    }

    /**
     * A Python Notifier's notification reaches a Java listener with its publisher, event type, payload,
     * context (oslo's safe keys only) and metadata (message_id, timestamp).
     */
    @Test
    void pythonNotifierToJavaListener() throws Exception {
        String topic = topic("py2java");
        try (Transport t = Transport.create(RabbitBroker.url())) {
            Recorder r = new Recorder();
            NotificationListener l = listen(t, topic, null, r);
            try {
                OsloNotifyPeer.notify(RabbitBroker.url(), topic, "--publisher", "network.py-host",
                        "--event-type", "router.update.end", "--payload", "{\"router\": {\"id\": \"r1\", \"n\": 3}}",
                        "--context", "{\"user_id\": \"u1\", \"request_id\": \"req-9\", \"auth_token\": \"T0K\"}");
                OsloNotifyPeer.notify(RabbitBroker.url(), topic, "--priority", "error", "--event-type", "port.down",
                        "--driver", "messaging");
                poll(() -> r.got.size() == 2, "both notifications arriving");
            } finally {
                stop(l);
            }
            Got info = r.got.stream().filter(g -> g.priority().equals("info")).findFirst().orElseThrow();
            assertEquals("network.py-host", info.publisherId());
            assertEquals("router.update.end", info.eventType());
            assertEquals(Map.of("router", Map.of("id", "r1", "n", 3)), info.payload());
            assertEquals(Map.of("user_id", "u1", "request_id", "req-9"), info.ctx().asMap(), "no token on the bus");
            UUID.fromString((String) info.metadata().get("message_id"));
            assertTrue(Pattern.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?",
                    (String) info.metadata().get("timestamp")), info.metadata().toString());
            Got error = r.got.stream().filter(g -> g.priority().equals("error")).findFirst().orElseThrow();
            assertEquals("port.down", error.eventType(), "oslo's 1.0 format (messaging driver) is read too");
        }
    }

    /** @NotificationFilter on a Java endpoint screens a Python notifier's notifications by publisher and event type. */
    @Test
    void filtersScreenPythonNotifications() throws Exception {
        String topic = topic("filter");
        try (Transport t = Transport.create(RabbitBroker.url())) {
            RouterOnly routers = new RouterOnly();
            Recorder all = new Recorder();
            NotificationListener l = new NotificationListener(t, List.of(new Target(topic)), List.of(routers, all),
                    null);
            l.start();
            try {
                OsloNotifyPeer.notify(RabbitBroker.url(), topic, "--publisher", "network.a", "--event-type",
                        "router.create.end");
                OsloNotifyPeer.notify(RabbitBroker.url(), topic, "--publisher", "compute.a", "--event-type",
                        "router.create.end");
                OsloNotifyPeer.notify(RabbitBroker.url(), topic, "--publisher", "network.a", "--event-type",
                        "port.create.end");
                poll(() -> all.got.size() == 3, "three notifications arriving");
            } finally {
                stop(l);
            }
            assertEquals(List.of("network.a router.create.end"),
                    routers.got.stream().map(g -> g.publisherId() + " " + g.eventType()).toList());
        }
    }

    /**
     * A Java listener and a Python listener in one pool share a Python notifier's notifications: each one
     * reaches exactly one of them, and both get some.
     */
    @Test
    void poolSharedWithAPythonListener() throws Exception {
        String topic = topic("pool");
        String pool = pool("shared");
        try (Transport t = Transport.create(RabbitBroker.url());
             OsloNotifyPeer py = OsloNotifyPeer.listener(RabbitBroker.url(), List.of(topic), "--pool", pool)) {
            Recorder r = new Recorder();
            NotificationListener l = listen(t, topic, pool, r);
            try {
                OsloNotifyPeer.notify(RabbitBroker.url(), topic, "--count", "40", "--payload", "{}");
                poll(() -> r.got.size() + py.received().size() >= 40, () -> "forty notifications shared by the pool"
                        + " (java " + r.got.size() + ", python " + py.received().size() + ", java outstanding "
                        + l.outstanding() + ")");
                Eventlet.sleep(0.3); // a duplicate has no event to wait on: a short window in which none may arrive
            } finally {
                stop(l);
            }
            int java = r.got.size();
            int python = py.received().size();
            assertEquals(40, java + python, "each notification reached one member: java " + java + ", python " + python);
            assertTrue(java > 0 && python > 0, "both members got some: java " + java + ", python " + python);
            List<Object> seqs = new ArrayList<>();
            r.got.forEach(g -> seqs.add(((Map<?, ?>) g.payload()).get("seq")));
            py.received().forEach(m -> seqs.add(((Map<?, ?>) m.get("payload")).get("seq")));
            assertEquals(40, seqs.stream().distinct().count());
        }
    }

    /**
     * A Java Notifier's notification reaches Python's get_notification_listener with publisher, event type,
     * payload, context (safe keys), metadata, and the timestamp in Python's form with microseconds.
     */
    @Test
    void javaNotifierToPythonListener() throws Exception {
        String topic = topic("java2py");
        try (OsloNotifyPeer py = OsloNotifyPeer.listener(RabbitBroker.url(), List.of(topic));
             Transport t = Transport.create(RabbitBroker.url())) {
            Notifier n = new Notifier(t, "network.java-host", List.of("messagingv2"), List.of(topic), null);
            n.info(Context.of(Map.of("user_id", "u2", "project_id", "p2", "auth_token", "SECRET")),
                    "router.update.start", Map.of("router_id", "r7", "ha", true, "ports", List.of(1, 2)));
            new Notifier(t, "network.java-host", List.of("messaging"), List.of(topic), null)
                    .withPublisherId("network.v1").error(Context.empty(), "router.delete.end", "gone");
            poll(() -> py.received().size() == 2, "python receiving both");
            Map<String, Object> info = py.received().stream().filter(m -> m.get("priority").equals("info"))
                    .findFirst().orElseThrow();
            assertEquals("network.java-host", info.get("publisher_id"));
            assertEquals("router.update.start", info.get("event_type"));
            assertEquals(Map.of("router_id", "r7", "ha", true, "ports", List.of(1, 2)), info.get("payload"));
            @SuppressWarnings("unchecked")
            Map<String, Object> ctxt = new java.util.HashMap<>((Map<String, Object>) info.get("ctxt"));
            // oslo's listener adds client_timeout (null for a notification) to every context it hands over.
            assertEquals(null, ctxt.remove("client_timeout"));
            assertEquals(Map.of("user_id", "u2", "project_id", "p2"), ctxt);
            @SuppressWarnings("unchecked")
            Map<String, Object> md = (Map<String, Object>) info.get("metadata");
            UUID.fromString((String) md.get("message_id"));
            assertTrue(Pattern.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}", (String) md.get("timestamp")),
                    md.toString());
            Map<String, Object> error = py.received().stream().filter(m -> m.get("priority").equals("error"))
                    .findFirst().orElseThrow();
            assertEquals("network.v1", error.get("publisher_id"));
            assertEquals("gone", error.get("payload"));
            assertEquals(2, ((Number) py.finish().get("done")).intValue());
        }
    }

    /**
     * On the broker, jeventlet declares what oslo declares: the notifier's default queue <topic>.<priority>, a
     * listener's pool queue named after the pool, with the same flags and arguments as Python's; with
     * amqp_durable_queues the queues are durable.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // two Python processes and two rabbitmqctl runs: slow on a loaded machine
    void queuesOnTheBrokerAreOslos() throws Exception {
        String javaTopic = topic("qjava");
        String pyTopic = topic("qpy");
        String durableTopic = topic("qdurable");
        String javaPool = pool("qjava");
        String pyPool = pool("qpy");
        try (Transport t = Transport.create(RabbitBroker.url())) {
            new Notifier(t, "p", List.of("messagingv2"), List.of(javaTopic), null).info(Context.empty(), "e", 1);
            NotificationListener l = listen(t, javaTopic, javaPool, new Recorder());
            stop(l);
        }
        OsloNotifyPeer.notify(RabbitBroker.url(), pyTopic);
        try (OsloNotifyPeer py = OsloNotifyPeer.listener(RabbitBroker.url(), List.of(pyTopic), "--pool", pyPool)) {
            py.finish();
        }
        // The shared control exchange is not durable: a durable one needs its own name.
        String durableExchange = "notify_durable_" + id;
        exchangesToDelete.add(durableExchange);
        ConfigOpts durable = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, RabbitBroker.url())
                .override(RpcOpts.CONTROL_EXCHANGE, durableExchange)
                .override(RabbitOpts.AMQP_DURABLE_QUEUES, true).load();
        try (Transport t = Transport.create(durable)) {
            new Notifier(t, "p", List.of("messagingv2"), List.of(durableTopic), null).info(Context.empty(), "e", 1);
        }
        Map<String, String> q = new java.util.HashMap<>();
        for (String line : RabbitBroker.ctl("list_queues", "name", "durable", "auto_delete", "arguments",
                "messages").lines().toList()) {
            String[] f = line.split("\t", 2);
            if (f.length == 2) {
                q.put(f[0], f[1]);
            }
        }
        assertEquals(q.get(pyTopic + ".info").replaceAll("\t\\d+$", ""),
                q.get(javaTopic + ".info").replaceAll("\t\\d+$", ""), q.toString());
        assertEquals("false\tfalse\t[]\t1", q.get(javaTopic + ".info"), "waiting for a listener");
        assertEquals(q.get(pyPool).replaceAll("\t\\d+$", ""), q.get(javaPool).replaceAll("\t\\d+$", ""));
        assertEquals("true\tfalse\t[]\t1", q.get(durableTopic + ".info"));
        assertFalse(q.containsKey(javaTopic + ".info_" + javaPool));
        // The pool queues are bound under <topic>.<priority> on the control exchange: a message published with
        // that key lands in them (rabbitmqctl list_bindings is too slow on a busy shared broker).
        var h = io.jeventlet.rpc.spi.TransportUrl.parse(RabbitBroker.url()).hosts().get(0);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(h.hostname());
        f.setPort(h.port() < 0 ? 5672 : h.port());
        try (Connection c = f.newConnection("notify-test-bindings"); Channel ch = c.createChannel()) {
            for (String[] poolAndTopic : new String[][] {{javaPool, javaTopic}, {pyPool, pyTopic}}) {
                int before = ch.queueDeclarePassive(poolAndTopic[0]).getMessageCount();
                ch.confirmSelect();
                ch.basicPublish("openstack", poolAndTopic[1] + ".info", null, "{}".getBytes());
                ch.waitForConfirmsOrDie(10_000);
                assertEquals(before + 1, ch.queueDeclarePassive(poolAndTopic[0]).getMessageCount(),
                        poolAndTopic[0] + " is bound under " + poolAndTopic[1] + ".info");
            }
        }
    }
}

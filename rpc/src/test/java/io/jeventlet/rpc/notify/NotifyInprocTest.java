package io.jeventlet.rpc.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.LogCapture;
import io.jeventlet.VirtualHubs;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.Serializer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Notifications on inproc://, on virtual-clock hubs: every semantic of the notifier and the listener. */
class NotifyInprocTest {

    /** One received notification. */
    record Got(String priority, Context ctx, String publisherId, String eventType, Object payload,
               Map<String, Object> metadata, String by) {
    }

    /** An endpoint recording every priority it gets. */
    public static class Recorder {
        final List<Got> got;
        final String name;

        Recorder(List<Got> got, String name) {
            this.got = got;
            this.name = name;
        }

        public void info(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            got.add(new Got("info", ctx, publisherId, eventType, payload, md, name));
        }

        public void error(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            got.add(new Got("error", ctx, publisherId, eventType, payload, md, name));
        }

        public void sample(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            got.add(new Got("sample", ctx, publisherId, eventType, payload, md, name));
        }
    }

    /** A payload type endpoints may declare. */
    public record Router(String id, String status) {
    }

    private static String bus() {
        return "inproc://notify-" + UUID.randomUUID();
    }

    private static List<Got> list() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    /** Lets every hand-over already queued run. */
    private static void settle() {
        for (int i = 0; i < 20; i++) {
            Eventlet.sleep(0);
        }
    }

    private static NotificationListener listen(Transport t, String pool, Object... endpoints) {
        NotificationListener l = new NotificationListener(t, List.of(new Target("notifications")), List.of(endpoints),
                pool);
        l.start();
        return l;
    }

    private static void stop(NotificationListener... ls) {
        for (NotificationListener l : ls) {
            l.stop();
        }
        for (NotificationListener l : ls) {
            l.await();
        }
    }

    /**
     * A listener gets publisher, event type, payload, the context reduced to oslo's safe keys and metadata
     * (message_id a UUID, timestamp UTC with microseconds), with no virtual time passing.
     */
    @Test
    void listenerGetsEveryFieldAtOnce() throws Exception {
        List<Got> got = list();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener l = listen(t, null, new Recorder(got, "r"));
                Notifier n = new Notifier(t, "network.host-1");
                Context ctx = Context.of(Map.of("user_id", "u1", "project_id", "p1", "request_id", "req-7",
                        "auth_token", "SECRET", "is_admin", true));
                double before = Hub.get().clock();
                String stamp0 = NotificationTimestamps.format(Instant.now().minusSeconds(1));
                n.info(ctx, "router.update.end", Map.of("router", Map.of("id", "r1")));
                settle();
                assertEquals(before, Hub.get().clock(), "no virtual time passes");
                stop(l);
                assertEquals(1, got.size());
                Got g = got.get(0);
                assertEquals("info", g.priority());
                assertEquals("network.host-1", g.publisherId());
                assertEquals("router.update.end", g.eventType());
                assertEquals(Map.of("router", Map.of("id", "r1")), g.payload());
                assertEquals(Map.of("user_id", "u1", "project_id", "p1", "request_id", "req-7", "is_admin", true),
                        g.ctx().asMap());
                UUID.fromString((String) g.metadata().get("message_id"));
                String ts = (String) g.metadata().get("timestamp");
                assertTrue(Pattern.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}", ts), ts);
                assertTrue(ts.compareTo(stamp0) > 0, ts + " is now");
                assertEquals(Map.of("message_id", g.metadata().get("message_id"), "timestamp", ts), g.metadata());
            }
        });
    }

    /** An endpoint's payload parameter gets the payload converted to its declared type. */
    @Test
    void payloadIsConvertedToTheParameterType() throws Exception {
        List<Router> got = Collections.synchronizedList(new ArrayList<>());
        Object endpoint = new Object() {
            public void info(Context ctx, String p, String e, Router payload, Map<String, Object> md) {
                got.add(payload);
            }
        };
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener l = listen(t, null, endpoint);
                new Notifier(t, "p").info(Context.empty(), "router.create.end", new Router("r1", "ACTIVE"));
                settle();
                stop(l);
            }
        });
        assertEquals(List.of(new Router("r1", "ACTIVE")), got);
    }

    /** Each priority reaches the method of its name; one no endpoint handles is not consumed, and waits in its queue. */
    @Test
    void prioritiesRouteByMethodNameAndUnhandledOnesWait() throws Exception {
        List<Got> got = list();
        List<String> warns = list().stream().map(Got::eventType).collect(java.util.stream.Collectors.toList());
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener l = listen(t, null, new Recorder(got, "r"));
                Notifier n = new Notifier(t, "p");
                n.info(Context.empty(), "e.info", 1);
                n.error(Context.empty(), "e.error", 2);
                n.sample(Context.empty(), "e.sample", 3);
                n.warn(Context.empty(), "e.warn", 4);
                settle();
                stop(l);
                Object warnEndpoint = new Object() {
                    public void warn(Context ctx, String p, String e, Object payload, Map<String, Object> md) {
                        warns.add(e);
                    }
                };
                NotificationListener late = listen(t, null, warnEndpoint);
                settle();
                stop(late);
            }
        });
        assertEquals(List.of("info:e.info:1", "error:e.error:2", "sample:e.sample:3"),
                got.stream().map(g -> g.priority() + ":" + g.eventType() + ":" + g.payload()).toList());
        assertEquals(List.of("e.warn"), warns, "the warn sent before its listener started waited in warn's queue");
    }

    /** Every endpoint with the method runs, in order, until one returns REQUEUE. */
    @Test
    void endpointsRunInOrderUntilRequeue() throws Exception {
        List<String> calls = list().stream().map(Got::by).collect(java.util.stream.Collectors.toList());
        AtomicInteger round = new AtomicInteger();
        Object first = new Object() {
            public void info(Context c, String p, String e, Object pl, Map<String, Object> md) {
                calls.add("first");
            }
        };
        Object second = new Object() {
            public NotificationResult info(Context c, String p, String e, Object pl, Map<String, Object> md) {
                calls.add("second");
                return round.getAndIncrement() == 0 ? NotificationResult.REQUEUE : NotificationResult.HANDLED;
            }
        };
        Object third = new Object() {
            public void info(Context c, String p, String e, Object pl, Map<String, Object> md) {
                calls.add("third");
            }
        };
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener l = new NotificationListener(t, List.of(new Target("notifications")),
                        List.of(first, second, third), null, true);
                l.start();
                new Notifier(t, "p").info(Context.empty(), "e", 1);
                settle();
                stop(l);
            }
        });
        assertEquals(List.of("first", "second", "first", "second", "third"), calls,
                "REQUEUE stops the chain and the notification comes back");
    }

    /** Without allowRequeue, REQUEUE is logged as an error and the notification is acknowledged (not redelivered). */
    @Test
    void requeueWithoutAllowRequeueIsLoggedAndHandled() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Object endpoint = new Object() {
            public NotificationResult info(Context c, String p, String e, Object pl, Map<String, Object> md) {
                calls.incrementAndGet();
                return NotificationResult.REQUEUE;
            }
        };
        try (LogCapture logs = new LogCapture(NotificationListener.class)) {
            VirtualHubs.on(() -> {
                try (Transport t = Transport.create(bus())) {
                    NotificationListener l = listen(t, null, endpoint);
                    new Notifier(t, "p").info(Context.empty(), "e", 1);
                    settle();
                    stop(l);
                    NotificationListener again = listen(t, null, endpoint);
                    settle();
                    stop(again);
                }
            });
            assertEquals(1, calls.get());
            assertTrue(logs.errors().stream().anyMatch(s -> s.contains("without allowRequeue")), logs.text());
        }
    }

    /** An endpoint's exception is logged and the listener goes on; with allowRequeue it counts as REQUEUE. */
    @Test
    void endpointExceptionIsLoggedAndListenerGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Object> handled = Collections.synchronizedList(new ArrayList<>());
        Object endpoint = new Object() {
            public void info(Context c, String p, String e, Object pl, Map<String, Object> md) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("boom in endpoint");
                }
                handled.add(pl);
            }
        };
        try (LogCapture logs = new LogCapture(NotificationDispatcher.class)) {
            VirtualHubs.on(() -> {
                try (Transport t = Transport.create(bus())) {
                    NotificationListener plain = listen(t, null, endpoint);
                    Notifier n = new Notifier(t, "p");
                    n.info(Context.empty(), "e", 1);
                    n.info(Context.empty(), "e", 2);
                    settle();
                    stop(plain);
                    assertEquals(List.of(2), handled, "the failed one was acknowledged, the next handled");
                    calls.set(0);
                    handled.clear();
                    NotificationListener requeuing = new NotificationListener(t, List.of(new Target("notifications")),
                            List.of(endpoint), null, true);
                    requeuing.start();
                    n.info(Context.empty(), "e", 3);
                    settle();
                    stop(requeuing);
                    assertEquals(List.of(3), handled, "with allowRequeue the failed one came back and was handled");
                }
            });
            assertEquals(2, logs.count("boom in endpoint"), logs.text());
        }
    }

    /** @NotificationFilter: publisher and event type regexes match from the start (lookingAt); absent means any. */
    @Test
    void filtersMatchFromTheStart() throws Exception {
        List<Got> got = list();
        @NotificationFilter(publisherId = "net", eventType = "router\\.(create|update)\\.end$")
        class Filtered extends Recorder {
            Filtered(List<Got> into) {
                super(into, "filtered");
            }
        }
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener l = listen(t, null, new Filtered(got), new Recorder(got, "all"));
                Notifier n = new Notifier(t, "network.host-1");
                n.info(Context.empty(), "router.update.end", 1);
                n.info(Context.empty(), "router.update.start", 2);
                n.info(Context.empty(), "xrouter.update.end", 3);
                n.withPublisherId("compute.network").info(Context.empty(), "router.create.end", 4);
                n.withPublisherId(null).info(Context.empty(), "router.create.end", 5);
                settle();
                stop(l);
            }
        });
        assertEquals(List.of(1), got.stream().filter(g -> g.by().equals("filtered")).map(Got::payload).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), got.stream().filter(g -> g.by().equals("all")).map(Got::payload).toList());
    }

    /** A filter that does not compile is rejected when the listener is built, naming the pattern. */
    @Test
    void badFilterIsRejected() {
        @NotificationFilter(eventType = "router.(")
        class Bad {
            public void info(Context c, String p, String e, Object pl, Map<String, Object> md) {
            }
        }
        try (Transport t = Transport.create(bus())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new NotificationListener(t, List.of(new Target("n")), List.of(new Bad()), null));
            assertTrue(e.getMessage().contains("router.("), e.getMessage());
        }
    }

    /** A malformed priority method, or endpoints with none, are rejected by the constructor. */
    @Test
    void malformedEndpointsAreRejected() {
        Object wrong = new Object() {
            public void info(Context c, String p) {
            }
        };
        try (Transport t = Transport.create(bus())) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new NotificationListener(t,
                    List.of(new Target("n")), List.of(wrong), null)).getMessage().contains("must take"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new NotificationListener(t,
                    List.of(new Target("n")), List.of(new Object()), null)).getMessage().contains("no endpoint"));
            assertThrows(IllegalArgumentException.class, () -> new NotificationListener(t, List.of(), List.of(), null));
        }
    }

    /**
     * Listeners of one pool share its notifications, pool-less listeners share theirs, and each pool and the
     * pool-less group gets every notification.
     */
    @Test
    void poolsEachGetEveryNotificationAndShareItWithin() throws Exception {
        List<Got> got = list();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener a1 = listen(t, "pool-a", new Recorder(got, "a1"));
                NotificationListener a2 = listen(t, "pool-a", new Recorder(got, "a2"));
                NotificationListener b1 = listen(t, "pool-b", new Recorder(got, "b1"));
                NotificationListener n1 = listen(t, null, new Recorder(got, "n1"));
                NotificationListener n2 = listen(t, null, new Recorder(got, "n2"));
                Notifier n = new Notifier(t, "p");
                for (int i = 0; i < 10; i++) {
                    n.info(Context.empty(), "e", i);
                }
                settle();
                stop(a1, a2, b1, n1, n2);
            }
        });
        Map<String, Long> by = got.stream().collect(java.util.stream.Collectors.groupingBy(Got::by,
                java.util.stream.Collectors.counting()));
        assertEquals(10, by.get("a1") + by.get("a2"));
        assertTrue(by.get("a1") > 0 && by.get("a2") > 0, by.toString());
        assertEquals(10, by.get("b1"));
        assertEquals(10, by.get("n1") + by.get("n2"));
        assertTrue(by.get("n1") > 0 && by.get("n2") > 0, by.toString());
    }

    /** A listener of several targets gets each target's notifications; a notifier of several topics sends to each. */
    @Test
    void targetsAndTopics() throws Exception {
        List<Got> got = list();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener both = new NotificationListener(t, List.of(new Target("t1"), new Target("t2")),
                        List.of(new Recorder(got, "both")), null);
                both.start();
                NotificationListener other = new NotificationListener(t,
                        List.of(new Target("t1").withExchange("other")), List.of(new Recorder(got, "other")), null);
                other.start();
                new Notifier(t, "p", List.of("messagingv2"), List.of("t1", "t2"), null).info(Context.empty(), "e", 1);
                new Notifier(t, "p", List.of("messagingv2"), List.of("t2"), null).info(Context.empty(), "e", 2);
                settle();
                stop(both, other);
            }
        });
        assertEquals(List.of(1, 1, 2), got.stream().filter(g -> g.by().equals("both")).map(Got::payload).sorted(
                (x, y) -> Integer.compare((Integer) x, (Integer) y)).toList());
        assertTrue(got.stream().noneMatch(g -> g.by().equals("other")), "another exchange is another bus");
    }

    /** Several drivers at once: messagingv2 and messaging (no envelope) both reach the listener, log writes a line. */
    @Test
    void severalDriversAtOnce() throws Exception {
        List<Got> got = list();
        Logger log = new Logger("router.update.end");
        try (log) {
            VirtualHubs.on(() -> {
                try (Transport t = Transport.create(bus())) {
                    NotificationListener l = listen(t, null, new Recorder(got, "r"));
                    new Notifier(t, "p", List.of("messagingv2", "messaging", "log", "noop"), null, null)
                            .info(Context.empty(), "router.update.end", Map.of("id", 1));
                    settle();
                    stop(l);
                }
            });
            assertEquals(2, got.size(), "one through each messaging driver");
            assertEquals(1, log.capture.lines().size(), log.capture.text());
        }
    }

    /** The log driver: logger oslo.messaging.notification.EVENT, the priority's level, secret payload values masked. */
    @Test
    void logDriverLogsAtThePriorityWithSecretsMasked() throws Exception {
        try (Logger log = new Logger("identity.user.created")) {
            try (Transport t = Transport.create(bus())) {
                Notifier n = new Notifier(t, "keystone", List.of("log"), null, null);
                n.warn(Context.of(Map.of("auth_token", "tok")), "identity.user.created",
                        Map.of("user", Map.of("name", "bob", "password", "hunter2", "admin_pass", "x")));
                n.error(Context.empty(), "identity.user.created", Map.of("token", "abc"));
                n.critical(Context.empty(), "identity.user.created", "c");
            }
            List<ch.qos.logback.classic.spi.ILoggingEvent> events = log.events();
            assertEquals(3, events.size());
            assertEquals(List.of(Level.WARN, Level.ERROR, Level.ERROR), events.stream().map(e -> e.getLevel()).toList());
            String first = events.get(0).getFormattedMessage();
            assertTrue(first.contains("\"password\":\"***\"") && first.contains("\"admin_pass\":\"***\"")
                    && first.contains("\"name\":\"bob\"") && !first.contains("hunter2") && !first.contains("tok"),
                    first);
            assertTrue(first.contains("\"event_type\":\"identity.user.created\"") && first.contains("\"priority\":\"WARN\"")
                    && first.contains("\"publisher_id\":\"keystone\""), first);
            assertFalse(events.get(1).getFormattedMessage().contains("abc"));
        }
    }

    /** Captures the notification logger of one event type. */
    private static final class Logger implements AutoCloseable {
        final ch.qos.logback.classic.Logger logger;
        final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        final Level previous;
        final LogView capture = new LogView();

        Logger(String eventType) {
            logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                    "oslo.messaging.notification." + eventType);
            previous = logger.getLevel();
            logger.setLevel(Level.DEBUG);
            appender.start();
            logger.addAppender(appender);
        }

        List<ch.qos.logback.classic.spi.ILoggingEvent> events() {
            synchronized (appender) {
                return List.copyOf(appender.list);
            }
        }

        final class LogView {
            List<String> lines() {
                return events().stream().map(e -> e.getFormattedMessage()).toList();
            }

            String text() {
                return String.join("\n", lines());
            }
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(previous);
        }
    }

    /** Drivers: empty or only noop means disabled; an unknown name is an error naming it. */
    @Test
    void enabledAndDriverNames() {
        try (Transport t = Transport.create(bus())) {
            assertTrue(new Notifier(t, "p").isEnabled(), "a bare-URL transport: messagingv2");
            assertFalse(new Notifier(t, "p", List.of(), null, null).isEnabled());
            assertFalse(new Notifier(t, "p", List.of("noop"), null, null).isEnabled());
            assertTrue(new Notifier(t, "p", List.of("noop", "log"), null, null).isEnabled());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Notifier(t, "p", List.of("kafka"), null, null));
            assertTrue(e.getMessage().contains("kafka"), e.getMessage());
        }
    }

    /** withPublisherId and withRetry make new notifiers with the same drivers; retry below -1 is refused. */
    @Test
    void withers() {
        try (Transport t = Transport.create(bus())) {
            Notifier n = new Notifier(t, "a");
            assertEquals(-1, n.retry());
            Notifier b = n.withPublisherId("b").withRetry(3);
            assertEquals("b", b.publisherId());
            assertEquals(3, b.retry());
            assertEquals("a", n.publisherId());
            assertTrue(b.isEnabled());
            assertThrows(IllegalArgumentException.class, () -> n.withRetry(-2));
        }
    }

    /**
     * The notifications group: driver, topics, retry from a configured transport (empty driver: off), and
     * createNotification's URL: notifications.transport_url, else rpc.transport_url.
     */
    @Test
    void optionGroupAndNotificationTransport() throws Exception {
        String rpcBus = bus();
        String notifyBus = bus();
        ConfigOpts off = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, rpcBus).load();
        try (Transport t = Transport.createNotification(off)) {
            assertTrue(t.url().startsWith(rpcBus), t.url());
            assertFalse(new Notifier(t, "p").isEnabled(), "oslo's default: no driver, notifications off");
        }
        ConfigOpts on = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, rpcBus)
                .override(NotifyOpts.TRANSPORT_URL, notifyBus)
                .override(NotifyOpts.DRIVER, List.of("messagingv2"))
                .override(NotifyOpts.TOPICS, List.of("audit_topic"))
                .override(NotifyOpts.RETRY, 2).load();
        List<Got> got = list();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.createNotification(on)) {
                assertTrue(t.url().startsWith(notifyBus), t.url());
                Notifier n = new Notifier(t, "p");
                assertEquals(2, n.retry());
                NotificationListener l = new NotificationListener(t, List.of(new Target("audit_topic")),
                        List.of(new Recorder(got, "r")), null);
                l.start();
                n.info(Context.empty(), "e", 1);
                settle();
                stop(l);
            }
        });
        assertEquals(1, got.size());
    }

    /** notify never throws: a closed transport's notification is logged at ERROR and counted as dropped. */
    @Test
    void undeliverableIsLoggedAndCountedNeverThrown() {
        long before = NotificationCounters.total("error", NotificationCounters.Result.DROPPED);
        Transport t = Transport.create(bus());
        Notifier n = new Notifier(t, "p");
        t.close();
        try (LogCapture logs = new LogCapture(MessagingSink.class)) {
            n.error(Context.empty(), "e", Map.of("a", 1));
            n.error(Context.empty(), "e", new Object() {
                // Jackson cannot encode an object without properties: the encode fails, not the caller.
            });
            assertEquals(2, logs.errors().size(), logs.text());
        }
        assertEquals(before + 2, NotificationCounters.total("error", NotificationCounters.Result.DROPPED));
    }

    /** A serializer turns payload and context into their wire form and back on the listener. */
    @Test
    void serializerAppliesToPayloadAndContext() throws Exception {
        Serializer upper = new Serializer() {
            @Override
            public Object serializeEntity(Context ctx, Object entity) {
                return "wire:" + entity;
            }

            @Override
            public Object deserializeEntity(Context ctx, Object entity) {
                return ((String) entity).substring(5) + "@" + ctx.get("user_id");
            }

            @Override
            public Map<String, Object> serializeContext(Context ctx) {
                return ctx.with("user_id", "wire-" + ctx.get("user_id")).asMap();
            }
        };
        List<Got> got = list();
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener l = new NotificationListener(t, List.of(new Target("notifications")),
                        List.of(new Recorder(got, "r")), null, false, upper);
                l.start();
                new Notifier(t, "p", null, null, upper).info(Context.of(Map.of("user_id", "u")), "e", "x");
                settle();
                stop(l);
            }
        });
        assertEquals("x@wire-u", got.get(0).payload());
    }

    /**
     * Bounded concurrency: at most rpc.executor_thread_pool_size notifications run at once; stop drains every
     * one taken, and one sent after stop waits in the queue for the next listener.
     */
    @Test
    void boundedConcurrencyAndGracefulStopLoseNothing() throws Exception {
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, bus())
                .override(RpcOpts.EXECUTOR_THREAD_POOL_SIZE, 2).load();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Object> done = Collections.synchronizedList(new ArrayList<>());
        Object slow = new Object() {
            public void info(Context c, String p, String e, Object pl, Map<String, Object> md) {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                Eventlet.sleep(1.0);
                running.decrementAndGet();
                done.add(pl);
            }
        };
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(conf)) {
                NotificationListener l = new NotificationListener(t, List.of(new Target("notifications")),
                        List.of(slow), null);
                l.start();
                Notifier n = new Notifier(t, "p", List.of("messagingv2"), null, null);
                for (int i = 0; i < 6; i++) {
                    n.info(Context.empty(), "e", i);
                }
                double t0 = Hub.get().clock();
                settle();
                l.stop();
                n.info(Context.empty(), "e", 99);
                l.await();
                assertEquals(3.0, Hub.get().clock() - t0, 1e-9, "six one-second notifications, two at a time");
                assertEquals(6, done.size(), "stop drained every one taken");
                NotificationListener next = new NotificationListener(t, List.of(new Target("notifications")),
                        List.of(slow), null);
                next.start();
                settle();
                next.stop();
                next.await();
            }
        });
        assertEquals(2, most.get());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 99), done.stream().sorted((x, y) -> Integer.compare((Integer) x,
                (Integer) y)).toList());
    }

    /** Listener lifecycle as RpcServer's: start once, stop before start, await from another hub refused. */
    @Test
    void lifecycle() throws Exception {
        VirtualHubs.on(() -> {
            try (Transport t = Transport.create(bus())) {
                NotificationListener l = new NotificationListener(t, List.of(new Target("n")),
                        List.of(new Recorder(list(), "r")), null);
                l.stop();
                assertEquals(NotificationListener.State.STOPPED, l.state());
                assertThrows(IllegalStateException.class, l::start);
                l.await();
                NotificationListener m = listen(t, null, new Recorder(list(), "r"));
                assertThrows(IllegalStateException.class, m::start);
                Event<Boolean> stoppedFromThread = new Event<>();
                Thread.ofPlatform().start(() -> {
                    m.stop();
                    Hub.get();
                }).join();
                m.await();
                assertEquals(NotificationListener.State.STOPPED, m.state());
                assertNull(stoppedFromThread.poll());
            }
        });
    }

    /** Timestamps: written with six fraction digits in UTC; Python's form without the fraction is read too. */
    @Test
    void timestampFormat() {
        Instant i = Instant.parse("2026-12-06T21:51:27.123456789Z");
        assertEquals("2026-12-06 21:51:27.123456", NotificationTimestamps.format(i));
        assertEquals("2026-12-06 21:51:27.000000", NotificationTimestamps.format(Instant.parse("2026-12-06T21:51:27Z")));
        assertEquals(Instant.parse("2026-12-06T21:51:27.123456Z"), NotificationTimestamps.parse("2026-12-06 21:51:27.123456"));
        assertEquals(Instant.parse("2026-12-06T21:51:27Z"), NotificationTimestamps.parse("2026-12-06 21:51:27"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotificationTimestamps.parse("yesterday"));
        assertTrue(e.getMessage().contains("yesterday"));
        assertNotNull(NotificationTimestamps.now());
    }
}

package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.NotificationCounters;
import io.jeventlet.rpc.notify.NotificationListener;
import io.jeventlet.rpc.notify.Notifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Notifications over zmq:// through a proxy: every listener group (each pool, and the pool-less listeners)
 * gets every notification once, across transports; one sent while nobody listens is dropped, never thrown.
 */
class NotifyZmqTest {

    /** Records what it gets, with its own name. */
    public static final class Recorder {
        final String name;
        final List<String> got;

        Recorder(String name, List<String> got) {
            this.name = name;
            this.got = got;
        }

        public void info(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            got.add(name + ":" + payload + ":" + publisherId + ":" + ctx.get("user_id"));
        }
    }

    static void poll(BooleanSupplier cond, String what) {
        double deadline = System.nanoTime() / 1e9 + 20;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() / 1e9 > deadline) {
                throw new AssertionError(what + " did not happen within 20 s");
            }
            Eventlet.sleep(0.01);
        }
    }

    private static NotificationListener listen(Transport t, String pool, Recorder r) {
        NotificationListener l = new NotificationListener(t, List.of(new Target("zmq_notify")), List.of(r), pool);
        l.start();
        return l;
    }

    /** Pools and the pool-less group each get every notification once, through the proxy, from another transport. */
    @Test
    void groupsEachGetEveryNotificationOnce() throws Exception {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0");
             Transport a = Transport.create(proxy.transportUrl());
             Transport b = Transport.create(proxy.transportUrl());
             Transport sender = Transport.create(proxy.transportUrl())) {
            List<NotificationListener> ls = List.of(listen(a, "p", new Recorder("p1", got)),
                    listen(b, "p", new Recorder("p2", got)), listen(a, null, new Recorder("n1", got)),
                    listen(b, null, new Recorder("n2", got)), listen(b, "q", new Recorder("q1", got)));
            Notifier n = new Notifier(sender, "zmq.host", List.of("messagingv2"), List.of("zmq_notify"), null);
            for (int i = 0; i < 20; i++) {
                n.info(Context.of(Map.of("user_id", "u")), "e", i);
            }
            poll(() -> got.size() == 60, "sixty deliveries");
            Eventlet.sleep(0.2); // a duplicate has no event to wait on: a short window in which none may arrive
            for (NotificationListener l : ls) {
                l.stop();
                l.await();
            }
        }
        assertEquals(60, got.size(), got.toString());
        long p = got.stream().filter(s -> s.startsWith("p")).count();
        long nopool = got.stream().filter(s -> s.startsWith("n")).count();
        long q = got.stream().filter(s -> s.startsWith("q")).count();
        assertEquals(List.of(20L, 20L, 20L), List.of(p, nopool, q));
        assertTrue(got.stream().anyMatch(s -> s.startsWith("p1")) && got.stream().anyMatch(s -> s.startsWith("p2")));
        assertTrue(got.stream().allMatch(s -> s.endsWith(":zmq.host:u")), got.toString());
    }

    /** With no listener registered, a notification is dropped at the proxy (at most once); notify returns normally. */
    @Test
    void notificationWithoutListenerIsDropped() throws Exception {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0");
             Transport t = Transport.create(proxy.transportUrl())) {
            Notifier n = new Notifier(t, "p", List.of("messagingv2"), List.of("zmq_notify"), null);
            long sent = NotificationCounters.total("info", NotificationCounters.Result.SENT);
            n.info(Context.empty(), "e", "lost");
            assertEquals(sent + 1, NotificationCounters.total("info", NotificationCounters.Result.SENT),
                    "handed to the proxy");
            NotificationListener l = listen(t, null, new Recorder("late", got));
            n.info(Context.empty(), "e", "kept");
            poll(() -> got.size() == 1, "the second notification");
            // The first was dropped at the proxy (counted there), so it can never arrive late.
            poll(() -> proxy.stats().getOrDefault("notification_dropped", 0L) >= 1,
                    "the proxy dropping the first notification");
            l.stop();
            l.await();
        }
        assertEquals(List.of("late:kept:p:null"), got);
    }
}

package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.HubClock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hub-confined primitives bind to the hub of their first blocking use, and a
 * use from another hub is an {@link IllegalStateException} naming both hubs
 * and the door between them ({@code Hub.callThreadsafe}). Each object is
 * bound inside a virtual-clock hub (thread {@code virtual-hub}), then used
 * from the test's own OS thread, whose hub is another one.
 */
class ConfinementTest {
    /** Runs {@code foreignUse} on the test thread's hub and checks the refusal names both hubs. */
    private static void assertRefused(String type, Executable foreignUse) {
        IllegalStateException e = assertThrows(IllegalStateException.class, foreignUse);
        String m = e.getMessage();
        assertTrue(m.startsWith(type + " is confined to Hub[virtual-hub"), m);
        assertTrue(m.contains("but was used on " + Hub.get()), m);
        assertTrue(m.contains("Hub.callThreadsafe"), m);
    }

    /** An Event waited on in one hub refuses a wait from another. */
    @Test
    void event() throws Exception {
        Event<String> ev = VirtualHubs.run(() -> {
            Event<String> e = new Event<>();
            assertNull(e.await(1));
            return e;
        });
        assertRefused("Event", () -> ev.await(1));
    }

    /** An AsyncResult waited on in one hub refuses a wait from another. */
    @Test
    void asyncResult() throws Exception {
        AsyncResult<String> ar = VirtualHubs.run(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            assertThrows(Timeout.class, () -> a.get(1));
            return a;
        });
        assertRefused("AsyncResult", () -> ar.get(1));
    }

    /** Each queue kind, once a get blocked in one hub, refuses a blocking get from another. */
    @Test
    void queues() throws Exception {
        for (LightQueue<Integer> q : List.<LightQueue<Integer>>of(
                new LightQueue<>(), new Queue<>(), new PriorityQueue<>(), new LifoQueue<>())) {
            VirtualHubs.on(() -> assertThrows(Empty.class, () -> q.get(true, 1)));
            assertRefused(q.getClass().getSimpleName(), () -> q.get(true, 1));
        }
    }

    /** A Queue joined in one hub refuses a join from another. */
    @Test
    void queueJoin() throws Exception {
        Queue<Integer> q = new Queue<>();
        VirtualHubs.on(() -> {
            q.put(1);
            Eventlet.spawn(() -> {
                q.get();
                q.taskDone();
            });
            q.join();
        });
        q.put(2);
        assertRefused("Queue", q::join);
    }

    /** Semaphores of each kind, once an acquire blocked in one hub, refuse a blocking acquire from another. */
    @Test
    void semaphores() throws Exception {
        for (Semaphore s : List.of(new Semaphore(0), new BoundedSemaphore(0))) {
            VirtualHubs.on(() -> assertFalse(s.acquire(true, 1)));
            assertRefused(s.getClass().getSimpleName(), () -> s.acquire(true, 1));
        }
        CappedSemaphore capped = new CappedSemaphore(0, 1);
        VirtualHubs.on(() -> assertFalse(capped.acquire(true, 1)));
        int balance = capped.balance();
        assertThrows(IllegalStateException.class, () -> capped.acquire(true, 1));
        assertEquals(balance, capped.balance(), "the refused acquire left the count as it was");
    }

    /** A release from another hub that would wake a waiter is refused, and the waiter keeps waiting. */
    @Test
    void releaseToAWaiterFromAnotherHub() throws Exception {
        Throwable refused = VirtualHubs.run(() -> {
            Semaphore s = new Semaphore(0);
            GreenThread<Boolean> waiter = Eventlet.spawn(() -> s.acquire());
            Eventlet.sleep(0);
            AtomicReference<Throwable> got = new AtomicReference<>();
            Thread other = Thread.ofPlatform().name("other-hub").start(() -> {
                try {
                    s.release();
                } catch (Throwable t) {
                    got.set(t);
                }
            });
            other.join();
            assertEquals(-1, s.balance(), "still one waiter and no permit");
            waiter.kill();
            return got.get();
        });
        assertTrue(refused instanceof IllegalStateException, String.valueOf(refused));
        assertTrue(refused.getMessage().contains("other-hub"), refused.getMessage());
    }

    /** A GreenThread refuses await, kill, cancel and link from a hub other than its own. */
    @Test
    void greenThread() throws Exception {
        GreenThread<String> gt = VirtualHubs.run(() -> {
            GreenThread<String> g = Eventlet.spawn(() -> "done");
            g.await();
            return g;
        });
        assertRefused("GreenThread", gt::await);
        assertRefused("GreenThread", gt::kill);
        assertRefused("GreenThread", gt::cancel);
        assertRefused("GreenThread", () -> gt.link(g -> { }));
    }

    /**
     * The README's example of the door: a callback posted to another hub
     * feeds its queue, a green thread there answers through the caller's
     * hub, and the caller's event is sent on the caller's hub.
     */
    @Test
    void callThreadsafeIsTheDoorBetweenHubs() throws Exception {
        Hub agentHub = Hub.withClock(HubClock.real());
        Thread agent = Thread.ofPlatform().name("agent").start(agentHub::run);
        try {
            Queue<String> updates = new Queue<>();
            Hub callerHub = Hub.get();
            Event<String> reply = new Event<>();
            agentHub.callThreadsafe(() -> Eventlet.spawn(() -> {
                String r = "done " + updates.get();
                callerHub.callThreadsafe(() -> reply.send(r));
            }));
            agentHub.callThreadsafe(() -> updates.putNowait("router-1"));
            assertEquals("done router-1", reply.await(10));
        } finally {
            agentHub.abort();
            agent.join(10_000);
        }
    }

    /** A GreenPile spawned into in one hub refuses iteration from another. */
    @Test
    void greenPile() throws Exception {
        GreenPile<Integer> pile = VirtualHubs.run(() -> {
            GreenPile<Integer> p = new GreenPile<>(2);
            p.spawn(() -> 1);
            p.spawn(() -> 2);
            assertEquals(1, p.next());
            return p;
        });
        assertRefused("GreenPile", pile::next);
    }
}

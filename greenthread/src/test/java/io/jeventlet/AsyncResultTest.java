package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AsyncResult behaves as gevent's. Each test runs in a fresh virtual-clock hub. */
class AsyncResultTest {
    /** A value set before get is returned at once; ready and successful are true. */
    @Test
    void setThenGet() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            assertFalse(a.ready());
            assertFalse(a.successful());
            a.set("v");
            assertTrue(a.ready());
            assertTrue(a.successful());
            assertEquals("v", a.get());
            assertEquals("v", a.get(0));
        });
    }

    /** Every waiter wakes on set, in the order they began waiting. */
    @Test
    void allWaitersWakeInOrder() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<Integer> a = new AsyncResult<>();
            List<String> steps = new ArrayList<>();
            List<GreenThread<Void>> ws = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                ws.add(Eventlet.spawn(() -> {
                    steps.add("wait " + n);
                    steps.add("woke " + n + " with " + a.get());
                }));
            }
            Eventlet.sleep(0);
            steps.add("set");
            a.set(7);
            Eventlet.joinAll(ws);
            assertEquals(List.of("wait 1", "wait 2", "wait 3", "set",
                    "woke 1 with 7", "woke 2 with 7", "woke 3 with 7"), steps);
        });
    }

    /** get with a timeout throws a Timeout after exactly that time when nothing is set. */
    @Test
    void getTimesOut() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            double start = Hub.get().clock();
            Timeout t = assertThrows(Timeout.class, () -> a.get(0.3));
            assertEquals(0.3, t.seconds(), 0);
            assertEquals(0.3, Hub.get().clock() - start, 1e-12);
            assertThrows(Timeout.class, () -> a.get(0));
            a.set("late");
            assertEquals("late", a.get(0.3));
        });
    }

    /** An unchecked exception set is rethrown to every waiter as the same instance; successful() is false. */
    @Test
    void uncheckedExceptionRethrownAsIs() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            IllegalStateException boom = new IllegalStateException("boom");
            GreenThread<String> w = Eventlet.spawn(() -> a.get());
            Eventlet.sleep(0);
            a.setException(boom);
            assertSame(boom, assertThrows(IllegalStateException.class, w::await));
            assertSame(boom, assertThrows(IllegalStateException.class, a::get));
            assertTrue(a.ready());
            assertFalse(a.successful());
            assertSame(boom, a.exception());
        });
    }

    /** A checked exception set comes back wrapped in GreenThreadException, the original as its cause. */
    @Test
    void checkedExceptionWrapped() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            IOException io = new IOException("disk");
            a.setException(io);
            GreenThreadException e = assertThrows(GreenThreadException.class, a::get);
            assertSame(io, e.getCause());
        });
    }

    /** A negative or NaN timeout is an IllegalArgumentException. */
    @Test
    void badTimeoutRejected() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            assertThrows(IllegalArgumentException.class, () -> a.get(-1));
            assertThrows(IllegalArgumentException.class, () -> a.get(Double.NaN));
            assertThrows(NullPointerException.class, () -> a.setException(null));
        });
    }

    /** A waiter that is killed leaves; the remaining waiters still get the value. */
    @Test
    void killedWaiterDoesNotDisturbOthers() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            GreenThread<String> w1 = Eventlet.spawn(() -> a.get());
            GreenThread<String> w2 = Eventlet.spawn(() -> a.get());
            Eventlet.sleep(0);
            w1.kill();
            a.set("v");
            assertThrows(GreenletExit.class, w1::await);
            assertEquals("v", w2.await());
        });
    }

    /** set works from a hub timer callback and wakes the waiter at that time. */
    @Test
    void setFromTimer() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            double start = Hub.get().clock();
            Hub.get().scheduleCallGlobal(1.5, () -> a.set("tick"));
            assertEquals("tick", a.get());
            assertEquals(1.5, Hub.get().clock() - start, 1e-12);
        });
    }

    /** A later set replaces the outcome (gevent's AsyncResult may be set again). */
    @Test
    void setAgainReplaces() throws Exception {
        VirtualHubs.on(() -> {
            AsyncResult<String> a = new AsyncResult<>();
            a.setException(new IllegalStateException("first"));
            a.set("second");
            assertTrue(a.successful());
            assertEquals("second", a.get());
        });
    }
}

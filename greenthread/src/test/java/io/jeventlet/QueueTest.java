package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queues behave as eventlet's (tests/queue_test.py, ported), plus the
 * guarantees eventlet leaves open: FIFO service of blocked getters and
 * putters, and no item lost when a waiter dies. Each test runs in a fresh
 * virtual-clock hub (see {@link VirtualHubs}), so timeouts are exact and
 * nothing leaks from one test to the next.
 */
class QueueTest {
    /** An item put first is got back. */
    @Test
    void sendFirst() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            q.put("hi");
            assertEquals("hi", q.get());
        });
    }

    /** A getter blocked on an empty queue receives the item put later. */
    @Test
    void sendLast() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            GreenThread<String> gt = Eventlet.spawn(() -> q.get());
            Eventlet.sleep(0);
            Eventlet.sleep(0);
            assertEquals(1, q.getting());
            q.put("hi2");
            assertEquals("hi2", gt.await());
        });
    }

    /** put blocks only when maxsize items are stored, and resumes when a get frees a slot. */
    @Test
    void maxSizeBlocksThePutter() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>(2);
            List<String> results = new ArrayList<>();
            GreenThread<Void> gt = Eventlet.spawn(() -> {
                for (String s : List.of("a", "b", "c")) {
                    q.put(s);
                    results.add(s);
                }
            });
            Eventlet.sleep(0);
            assertEquals(List.of("a", "b"), results);
            assertTrue(q.full());
            assertEquals(1, q.putting());
            assertEquals("a", q.get());
            Eventlet.sleep(0);
            assertEquals(List.of("a", "b", "c"), results);
            assertEquals("b", q.get());
            assertEquals("c", q.get());
            gt.await();
        });
    }

    /** On a channel (maxsize 0) put blocks until a getter takes the item; empty() and full() are both true. */
    @Test
    void channelPutBlocksUntilTaken() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>(0);
            assertTrue(q.empty());
            assertTrue(q.full());
            Event<String> evt = new Event<>();
            GreenThread<Void> sender = Eventlet.spawn(() -> {
                q.put("hi");
                evt.send("done");
            });
            Eventlet.sleep(0);
            assertFalse(evt.ready());
            assertEquals(1, q.putting());
            GreenThread<String> receiver = Eventlet.spawn(() -> q.get());
            assertEquals("hi", receiver.await());
            assertEquals("done", evt.await());
            sender.await();
            assertEquals(0, q.qsize());
        });
    }

    /** Growing a channel to size 1 admits the blocked putter at once. */
    @Test
    void resizeUpWakesPutter() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>(0);
            GreenThread<Void> sender = Eventlet.spawn(() -> q.put("hi"));
            Eventlet.sleep(0);
            assertFalse(sender.dead());
            q.resize(1);
            assertEquals(0, q.putting());
            assertEquals(1, q.qsize());
            Eventlet.sleep(0);
            assertTrue(sender.dead());
            assertEquals("hi", q.get());
        });
    }

    /** Making a channel unbounded admits every blocked putter, in order. */
    @Test
    void resizeToUnboundedWakesAllPutters() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> q = new Queue<>(0);
            List<GreenThread<Void>> senders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                senders.add(Eventlet.spawn(() -> q.put(n)));
            }
            Eventlet.sleep(0);
            assertEquals(3, q.putting());
            q.resize(-1);
            Eventlet.joinAll(senders);
            assertEquals(List.of(0, 1, 2), List.of(q.get(), q.get(), q.get()));
        });
    }

    /** Shrinking keeps the items already stored; new puts block until it drains below the new size. */
    @Test
    void resizeDownKeepsItems() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> q = new Queue<>(5);
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            q.resize(1);
            Eventlet.sleep(0);
            assertEquals(5, q.qsize());
            assertThrows(Full.class, () -> q.putNowait(9));
            for (int i = 0; i < 5; i++) {
                assertEquals(i, q.get());
            }
            q.putNowait(9);
            assertThrows(Full.class, () -> q.putNowait(10));
        });
    }

    /** Blocked getters are served in the order they began waiting. */
    @Test
    void gettersServedFifo() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            List<GreenThread<String>> gts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gts.add(Eventlet.spawn(() -> q.get()));
            }
            Eventlet.sleep(0);
            assertEquals(4, q.getting());
            for (String s : List.of("1", "2", "3", "4")) {
                q.put(s);
            }
            assertEquals(0, q.getting());
            for (int i = 0; i < 4; i++) {
                assertEquals(String.valueOf(i + 1), gts.get(i).await());
            }
        });
    }

    /** Blocked putters are served in the order they began waiting, and a newcomer waits behind them. */
    @Test
    void puttersServedFifo() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("0");
            List<String> done = new ArrayList<>();
            for (String s : List.of("a", "b", "c")) {
                Eventlet.spawn(() -> {
                    q.put(s);
                    done.add(s);
                });
            }
            Eventlet.sleep(0);
            assertEquals(3, q.putting());
            assertEquals("0", q.get());
            // The slot freed went to "a": a newcomer cannot take it.
            assertThrows(Full.class, () -> q.putNowait("late"));
            assertEquals(List.of("a", "b", "c"), List.of(q.get(), q.get(), q.get()));
            Eventlet.sleep(0);
            assertEquals(List.of("a", "b", "c"), done);
            assertEquals(0, q.putting());
        });
    }

    /** A getter whose Timeout fires while it waits leaves the queue intact for the next one. */
    @Test
    void waiterThatCancels() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            GreenThread<String> gt = Eventlet.spawn(() -> bail(q));
            assertEquals("timed out", gt.await());
            assertEquals(0, q.getting());
            q.put("hi");
            assertEquals("hi", q.get());
        });
    }

    /** eventlet's do_bail: a get under a Timeout(0) that throws a RuntimeException. */
    private static String bail(LightQueue<String> q) {
        Timeout t = new Timeout(0, new IllegalStateException("bail"));
        try {
            return q.get();
        } catch (IllegalStateException e) {
            return "timed out";
        } finally {
            t.cancel();
        }
    }

    /** When one of two getters times out, the item goes to the other. */
    @Test
    void twoWaitersOneDies() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            GreenThread<String> dying = Eventlet.spawn(() -> bail(q));
            GreenThread<String> waiting = Eventlet.spawn(() -> q.get());
            Eventlet.sleep(0);
            q.put("hi");
            assertEquals("timed out", dying.await());
            assertEquals("hi", waiting.await());
        });
    }

    /** When every getter times out, the item stays in the queue. */
    @Test
    void twoBogusWaiters() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            GreenThread<String> g1 = Eventlet.spawn(() -> bail(q));
            GreenThread<String> g2 = Eventlet.spawn(() -> bail(q));
            Eventlet.sleep(0);
            q.put("sent");
            assertEquals("timed out", g1.await());
            assertEquals("timed out", g2.await());
            assertEquals("sent", q.get());
        });
    }

    /** A get blocks the caller until a green thread spawned before it puts. */
    @Test
    void gettingBeforeSending() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            GreenThread<Void> gt = Eventlet.spawn(() -> q.put("sent"));
            assertEquals("sent", q.get());
            gt.await();
        });
    }

    /** The same, from a plain OS thread (the JUnit thread), whose hub runs while it waits. */
    @Test
    void gettingFromMainGreenlet() {
        Queue<String> q = new Queue<>();
        GreenThread<Void> gt = Eventlet.spawn(() -> q.put("sent"));
        assertEquals("sent", q.get());
        gt.await();
        assertEquals(0, q.getting());
    }

    /** getting() counts the blocked getters and drops to 0 as soon as one is served. */
    @Test
    void gettingCountsWaiters() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            GreenThread<String> g = Eventlet.spawn(() -> q.get());
            Eventlet.sleep(0);
            assertEquals(1, q.getting());
            q.put("hi");
            Eventlet.sleep(0);
            assertEquals(0, q.getting());
            assertEquals("hi", g.await());
            assertEquals(0, q.getting());
        });
    }

    /** Sending on a channel: each put returns only after the receiver ran with the item. */
    @Test
    void channelSend() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> channel = new Queue<>(0);
            List<String> events = new ArrayList<>();
            GreenThread<Void> other = Eventlet.spawn(() -> {
                events.add(channel.get());
                events.add(channel.get());
            });
            events.add("sending");
            channel.put("hello");
            events.add("sent hello");
            channel.put("world");
            events.add("sent world");
            assertEquals(List.of("sending", "hello", "sent hello", "world", "sent world"), events);
            other.await();
        });
    }

    /** Receiving on a channel: the sender resumes after the receiver took its item. */
    @Test
    void channelWait() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> channel = new Queue<>(0);
            List<String> events = new ArrayList<>();
            GreenThread<Void> other = Eventlet.spawn(() -> {
                events.add("sending hello");
                channel.put("hello");
                events.add("sending world");
                channel.put("world");
                events.add("sent world");
            });
            events.add("waiting");
            events.add(channel.get());
            events.add(channel.get());
            assertEquals(List.of("waiting", "sending hello", "hello", "sending world", "world"), events);
            Eventlet.sleep(0);
            assertEquals(List.of("waiting", "sending hello", "hello", "sending world", "world", "sent world"), events);
            other.await();
        });
    }

    /** Three getters blocked on a channel get the three items, in the order they began waiting. */
    @Test
    void channelWaitersServedFifo() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> c = new Queue<>(0);
            List<GreenThread<Integer>> ws = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ws.add(Eventlet.spawn(() -> c.get()));
            }
            Eventlet.sleep(0);
            assertEquals(3, c.getting());
            List<GreenThread<Void>> ss = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                ss.add(Eventlet.spawn(() -> c.put(n)));
            }
            Eventlet.joinAll(ss);
            assertEquals(0, c.getting());
            assertEquals(List.of(1, 2, 3), List.of(ws.get(0).await(), ws.get(1).await(), ws.get(2).await()));
        });
    }

    /** A channel put with a timeout and no getter throws Full after exactly that time and leaves nothing behind. */
    @Test
    void channelSenderTimingOut() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> c = new Queue<>(0);
            double start = Hub.get().clock();
            assertThrows(Full.class, () -> c.put("hi", true, 0.001));
            assertEquals(0.001, Hub.get().clock() - start, 1e-12);
            assertEquals(0, c.putting());
            assertThrows(Empty.class, c::getNowait);
        });
    }

    /** get with a timeout on an empty queue throws Empty after exactly that time, and the getter is gone. */
    @Test
    void getTimeoutThrowsEmpty() throws Exception {
        VirtualHubs.on(() -> {
            LightQueue<String> q = new LightQueue<>();
            double start = Hub.get().clock();
            assertThrows(Empty.class, () -> q.get(true, 0.5));
            assertEquals(0.5, Hub.get().clock() - start, 1e-12);
            assertEquals(0, q.getting());
            assertThrows(Empty.class, () -> q.get(true, 0));
            assertEquals(0.5, Hub.get().clock() - start, 1e-12);
        });
    }

    /** put with a timeout on a full queue throws Full after exactly that time, and the putter is gone. */
    @Test
    void putTimeoutThrowsFull() throws Exception {
        VirtualHubs.on(() -> {
            LightQueue<String> q = new LightQueue<>(1);
            q.put("a");
            double start = Hub.get().clock();
            assertThrows(Full.class, () -> q.put("b", true, 0.25));
            assertEquals(0.25, Hub.get().clock() - start, 1e-12);
            assertEquals(0, q.putting());
            assertEquals("a", q.get());
            assertTrue(q.empty());
        });
    }

    /** Negative or NaN timeouts and null items are rejected, never a hang. */
    @Test
    void badArgumentsAreRejected() throws Exception {
        VirtualHubs.on(() -> {
            LightQueue<String> q = new LightQueue<>(1);
            assertThrows(NullPointerException.class, () -> q.put(null));
            assertThrows(NullPointerException.class, () -> q.putNowait(null));
            assertThrows(IllegalArgumentException.class, () -> q.get(true, -1));
            assertThrows(IllegalArgumentException.class, () -> q.get(true, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> q.put("x", true, -0.5));
            assertThrows(IllegalArgumentException.class, () -> q.put("x", false, Double.NaN));
            assertEquals(0, q.qsize());
            assertEquals(0, q.getting());
        });
    }

    /** A getter killed after an item was handed to it passes the item to the next getter. */
    @Test
    void killedGetterPassesItemToNextGetter() throws Exception {
        VirtualHubs.on(() -> {
            LightQueue<String> q = new LightQueue<>();
            GreenThread<String> g1 = Eventlet.spawn(() -> q.get());
            GreenThread<String> g2 = Eventlet.spawn(() -> q.get());
            Eventlet.sleep(0);
            q.put("x");
            g1.kill();
            assertThrows(GreenletExit.class, g1::await);
            assertEquals("x", g2.await());
            assertTrue(q.empty());
        });
    }

    /** With no other getter, the item of a killed getter goes back to the front of the queue. */
    @Test
    void killedGetterPutsItemBackInFront() throws Exception {
        VirtualHubs.on(() -> {
            LightQueue<String> q = new LightQueue<>();
            GreenThread<String> g1 = Eventlet.spawn(() -> q.get());
            Eventlet.sleep(0);
            q.put("x");
            q.put("y");
            g1.kill();
            assertThrows(GreenletExit.class, g1::await);
            assertEquals(List.of("x", "y"), List.of(q.get(), q.get()));
        });
    }

    /** On a channel, a killed getter hands its item back to the putter, who keeps waiting for the next getter. */
    @Test
    void killedChannelGetterReturnsItemToPutter() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> c = new Queue<>(0);
            GreenThread<String> g1 = Eventlet.spawn(() -> c.get());
            Eventlet.sleep(0);
            GreenThread<Void> putter = Eventlet.spawn(() -> c.put("x"));
            Eventlet.sleep(0);
            assertFalse(putter.dead());
            g1.kill();
            assertThrows(GreenletExit.class, g1::await);
            assertFalse(putter.dead());
            assertEquals(1, c.putting());
            assertEquals(0, c.qsize());
            assertEquals("x", Eventlet.spawn(() -> c.get()).await());
            putter.await();
            assertEquals(0, c.putting());
        });
    }

    /** A putter blocked on a full queue that is killed leaves its item out of the queue. */
    @Test
    void killedPutterAddsNothing() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("a");
            GreenThread<Void> p = Eventlet.spawn(() -> q.put("b"));
            Eventlet.sleep(0);
            p.kill();
            assertEquals(0, q.putting());
            assertEquals("a", q.get());
            assertTrue(q.empty());
            assertEquals(1, q.unfinishedTasks());
        });
    }

    /** Killing getters before anything is put does not disturb the order the others receive in. */
    @Test
    void zeroLengthQueueWithKilledGetters() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> q = new Queue<>(0);
            List<Integer> got = new ArrayList<>();
            List<GreenThread<Boolean>> good = new ArrayList<>();
            List<GreenThread<Boolean>> bad = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                good.add(Eventlet.spawn(() -> got.add(q.get())));
                bad.add(Eventlet.spawn(() -> got.add(q.get())));
            }
            Eventlet.sleep(0);
            for (GreenThread<Boolean> b : bad) {
                b.kill();
            }
            for (int i = 0; i < 10; i++) {
                q.put(i);
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got);
            Eventlet.joinAll(good);
        });
    }

    /** A channel's getter counts one unfinished task per item, until taskDone. */
    @Test
    void taskDoneOnChannel() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Object> channel = new Queue<>(0);
            Object x = new Object();
            GreenThread<Void> gt = Eventlet.spawn(() -> channel.put(x));
            assertTrue(channel.get() == x);
            assertEquals(1, channel.unfinishedTasks());
            channel.taskDone();
            assertEquals(0, channel.unfinishedTasks());
            gt.await();
        });
    }

    /** join returns at once on a queue with no unfinished task. */
    @Test
    void joinDoesNotBlockWhenEmpty() throws Exception {
        VirtualHubs.on(() -> new Queue<String>().join());
    }

    /** join waits until every item put was marked done, then wakes every joiner. */
    @Test
    void joinWaitsForTaskDone() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            List<String> steps = new ArrayList<>();
            q.put("a");
            q.put("b");
            List<GreenThread<Void>> joiners = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                int n = i;
                joiners.add(Eventlet.spawn(() -> {
                    q.join();
                    steps.add("joined " + n);
                }));
            }
            Eventlet.sleep(0);
            steps.add("1 " + q.get());
            q.taskDone();
            Eventlet.sleep(0);
            steps.add("2 " + q.get());
            q.taskDone();
            Eventlet.joinAll(joiners);
            assertEquals(List.of("1 a", "2 b", "joined 1", "joined 2"), steps);
        });
    }

    /** taskDone called more times than items were put is an IllegalStateException (eventlet's ValueError). */
    @Test
    void taskDoneTooManyTimes() throws Exception {
        VirtualHubs.on(() -> {
            Queue<String> q = new Queue<>();
            assertThrows(IllegalStateException.class, q::taskDone);
            q.put("a");
            q.get();
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    /** Non-blocking put works from a hub callback: the first fits, the second is Full. */
    @Test
    void putNowaitFromCallback() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> q = new Queue<>(1);
            List<Object> result = new ArrayList<>();
            Hub hub = Hub.get();
            hub.scheduleCallGlobal(0, () -> result.add(store(() -> q.putNowait(2))));
            hub.scheduleCallGlobal(0, () -> result.add(store(() -> q.putNowait(3))));
            Eventlet.sleep(0);
            Eventlet.sleep(0);
            assertEquals(2, result.size());
            assertEquals("ok", result.get(0));
            assertInstanceOf(Full.class, result.get(1));
        });
    }

    /** Non-blocking get works from a hub callback: the first gets the item, the second is Empty. */
    @Test
    void getNowaitFromCallback() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(4);
            List<Object> result = new ArrayList<>();
            Hub hub = Hub.get();
            hub.scheduleCallGlobal(0, () -> result.add(get(q)));
            hub.scheduleCallGlobal(0, () -> result.add(get(q)));
            Eventlet.sleep(0);
            assertEquals(2, result.size());
            assertEquals(4, result.get(0));
            assertInstanceOf(Empty.class, result.get(1));
        });
    }

    /** getNowait on a channel takes the item of a blocked putter, which then finishes. */
    @Test
    void getNowaitUnlocksChannelPutter() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> q = new Queue<>(0);
            GreenThread<Void> p = Eventlet.spawn(() -> q.put(5));
            assertTrue(q.empty());
            assertTrue(q.full());
            Eventlet.sleep(0);
            List<Object> result = new ArrayList<>();
            Hub.get().scheduleCallGlobal(0, () -> result.add(get(q)));
            Eventlet.sleep(0);
            assertEquals(List.of(5), result);
            Eventlet.sleep(0);
            assertTrue(p.dead());
            assertTrue(q.empty());
            assertTrue(q.full());
        });
    }

    /** putNowait on a channel hands the item to a blocked getter; with no getter it is Full. */
    @Test
    void putNowaitUnlocksChannelGetter() throws Exception {
        VirtualHubs.on(() -> {
            Queue<Integer> q = new Queue<>(0);
            assertThrows(Full.class, () -> q.putNowait(1));
            GreenThread<Integer> g = Eventlet.spawn(() -> q.get());
            Eventlet.sleep(0);
            List<Object> result = new ArrayList<>();
            Hub.get().scheduleCallGlobal(0, () -> result.add(store(() -> q.putNowait(10))));
            Eventlet.sleep(0);
            assertEquals(List.of("ok"), result);
            assertEquals(10, g.await());
            assertTrue(q.full());
            assertTrue(q.empty());
        });
    }

    /** A PriorityQueue hands out the lowest item first. */
    @Test
    void priorityQueueLowestFirst() throws Exception {
        VirtualHubs.on(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            for (int i : List.of(5, 1, 4, 2, 3)) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            while (!q.empty()) {
                out.add(q.get());
            }
            assertEquals(List.of(1, 2, 3, 4, 5), out);
        });
    }

    /** A LifoQueue hands out the most recent item first, and a killed getter's item is got next. */
    @Test
    void lifoQueueMostRecentFirst() throws Exception {
        VirtualHubs.on(() -> {
            LifoQueue<Integer> q = new LifoQueue<>(3);
            GreenThread<Integer> g = Eventlet.spawn(() -> q.get());
            Eventlet.sleep(0);
            q.put(0);
            q.put(1);
            q.put(2);
            g.kill();
            assertEquals(List.of(0, 2, 1), List.of(q.get(), q.get(), q.get()));
            assertNull(q.empty() ? null : "not empty");
        });
    }

    private static Object store(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static Object get(LightQueue<Integer> q) {
        try {
            return q.getNowait();
        } catch (Empty e) {
            return e;
        }
    }
}

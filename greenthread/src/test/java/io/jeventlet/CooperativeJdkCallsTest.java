package io.jeventlet;

import static io.jeventlet.TestDelays.DELAY;
import static io.jeventlet.TestDelays.millis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Scheduling rule 3 of the API: JDK blocking calls inside a green thread
 * ({@code Thread.sleep}, socket and channel I/O, {@code java.util.concurrent}
 * waits) park only that green thread, and a kill or Timeout that reaches a
 * green thread blocked in one of them surfaces as the kill's throwable or the
 * Timeout, never as an {@code InterruptedException}.
 *
 * <p>Every green thread a test spawns is awaited before the test ends. The
 * JUnit thread is the main greenlet: its {@code await()} runs its hub.
 */
class CooperativeJdkCallsTest {
    /** Bound on any socket wait, so a regression fails instead of hanging. */
    private static final int IO_TIMEOUT_MS = 10_000;

    /** kotlinx.coroutines' expect(n): steps must happen in their numbered order. */
    private static final class Steps {
        private int last;

        void expect(int n) {
            assertEquals(last + 1, n, "step " + n + " happened after step " + last);
            last = n;
        }

        void finish(int n) {
            expect(n);
        }
    }

    private static Socket[] socketPair() throws IOException {
        try (ServerSocket srv = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            srv.setSoTimeout(IO_TIMEOUT_MS);
            Socket a = new Socket();
            a.connect(srv.getLocalSocketAddress(), IO_TIMEOUT_MS);
            Socket b = srv.accept();
            a.setSoTimeout(IO_TIMEOUT_MS);
            b.setSoTimeout(IO_TIMEOUT_MS);
            return new Socket[] {a, b};
        }
    }

    private static SocketChannel[] channelPair() throws IOException {
        try (ServerSocketChannel srv = ServerSocketChannel.open()) {
            srv.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel a = SocketChannel.open(srv.getLocalAddress());
            SocketChannel b = srv.accept();
            return new SocketChannel[] {a, b};
        }
    }

    /** Thread.sleep in one green thread lets another green thread of the same hub run meanwhile. */
    @Test
    void threadSleepLetsOtherGreenThreadsRun() {
        List<String> log = new ArrayList<>();
        AtomicBoolean sleeperDone = new AtomicBoolean();
        GreenThread<Double> sleeper = Eventlet.spawn(() -> {
            log.add("sleeper:start");
            long t0 = System.nanoTime();
            Thread.sleep(millis(4 * DELAY));
            log.add("sleeper:end");
            sleeperDone.set(true);
            return (System.nanoTime() - t0) / 1e9;
        });
        GreenThread<Void> ticker = Eventlet.spawn(() -> {
            for (int i = 0; i < 1000 && !sleeperDone.get(); i++) {
                log.add("tick");
                Eventlet.sleep(DELAY / 10);
            }
        });
        double slept = sleeper.await();
        ticker.await();

        assertEquals("sleeper:start", log.get(0), log.toString());
        int end = log.indexOf("sleeper:end");
        assertTrue(end >= 3, "the ticker should tick at least twice while the sleeper sleeps: " + log);
        assertTrue(log.subList(1, end).stream().allMatch("tick"::equals), log.toString());
        assertTrue(slept >= 4 * DELAY * 0.9, "slept " + slept + " s");
    }

    /** A blocking java.net.Socket read in one green thread lets others run and completes when the peer writes. */
    @Test
    void blockingSocketReadLetsOthersRunAndCompletesWhenPeerWrites() throws IOException {
        Socket[] pair = socketPair();
        try (Socket a = pair[0]; Socket b = pair[1]) {
            Steps steps = new Steps();
            GreenThread<Integer> reader = Eventlet.spawn(() -> {
                steps.expect(1);
                int got = b.getInputStream().read();
                steps.expect(6);
                return got;
            });
            GreenThread<Object> writer = Eventlet.spawn(() -> {
                steps.expect(2);
                for (int i = 0; i < 3; i++) {
                    Eventlet.sleep(DELAY / 5);
                    steps.expect(3 + i);
                }
                a.getOutputStream().write(42);
                a.getOutputStream().flush();
                return null;
            });
            writer.await();
            assertEquals(42, reader.await());
            steps.finish(7);
        }
    }

    /** A blocking-mode SocketChannel read in one green thread lets others run and completes when the peer writes. */
    @Test
    void blockingChannelReadLetsOthersRunAndCompletesWhenPeerWrites() throws IOException {
        SocketChannel[] pair = channelPair();
        try (SocketChannel a = pair[0]; SocketChannel b = pair[1]) {
            assertTrue(b.isBlocking());
            Steps steps = new Steps();
            GreenThread<Integer> reader = Eventlet.spawn(() -> {
                steps.expect(1);
                ByteBuffer buf = ByteBuffer.allocate(1);
                int n = b.read(buf);
                steps.expect(4);
                assertEquals(1, n);
                return (int) buf.get(0);
            });
            GreenThread<Object> writer = Eventlet.spawn(() -> {
                steps.expect(2);
                Eventlet.sleep(DELAY);
                steps.expect(3);
                a.write(ByteBuffer.wrap(new byte[] {7}));
                return null;
            });
            writer.await();
            assertEquals(7, reader.await());
            steps.finish(5);
        }
    }

    /** CountDownLatch.await parks only the waiting green thread: another one of the hub runs and releases it. */
    @Test
    void countDownLatchAwaitParksOnlyTheGreenThread() {
        CountDownLatch latch = new CountDownLatch(1);
        Steps steps = new Steps();
        GreenThread<Boolean> waiter = Eventlet.spawn(() -> {
            steps.expect(1);
            boolean released = latch.await(IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            steps.expect(4);
            return released;
        });
        GreenThread<Void> releaser = Eventlet.spawn(() -> {
            steps.expect(2);
            latch.countDown();
            steps.expect(3);
        });
        releaser.await();
        assertTrue(waiter.await(), "the latch wait timed out instead of being released");
        steps.finish(5);
    }

    /** A ReentrantLock held across a yield makes a contender park without blocking the holder's hub. */
    @Test
    void reentrantLockContentionParksOnlyTheGreenThread() {
        ReentrantLock lock = new ReentrantLock();
        Steps steps = new Steps();
        GreenThread<Void> holder = Eventlet.spawn(() -> {
            lock.lock();
            try {
                steps.expect(1);
                Eventlet.sleep(DELAY);
                steps.expect(3);
            } finally {
                lock.unlock();
            }
        });
        GreenThread<Boolean> contender = Eventlet.spawn(() -> {
            steps.expect(2);
            boolean got = lock.tryLock(IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            try {
                steps.expect(4);
                return got;
            } finally {
                if (got) {
                    lock.unlock();
                }
            }
        });
        holder.await();
        assertTrue(contender.await(), "the contender's tryLock timed out");
        steps.finish(5);
        assertFalse(lock.isLocked());
    }

    /** ArrayBlockingQueue.take parks only the consumer green thread until a producer green thread puts. */
    @Test
    void blockingQueueTakeParksOnlyTheGreenThread() {
        ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
        Steps steps = new Steps();
        GreenThread<String> consumer = Eventlet.spawn(() -> {
            steps.expect(1);
            String item = queue.take();
            steps.expect(4);
            return item;
        });
        GreenThread<Object> producer = Eventlet.spawn(() -> {
            steps.expect(2);
            Eventlet.sleep(DELAY / 5);
            queue.put("item");
            steps.expect(3);
            return null;
        });
        producer.await();
        assertEquals("item", consumer.await());
        steps.finish(5);
    }

    /** A kill of a green thread blocked in Thread.sleep surfaces as GreenletExit from await() and its finally block runs. */
    @Test
    void killDuringThreadSleepSurfacesAsGreenletExitAndRunsFinally() {
        Event<Void> sleeping = new Event<>();
        AtomicBoolean finallyRan = new AtomicBoolean();
        GreenThread<Void> gt = Eventlet.spawn(() -> {
            try {
                sleeping.send(null);
                Thread.sleep(millis(200 * DELAY));
            } finally {
                finallyRan.set(true);
            }
            return null;
        });
        sleeping.await();
        long t0 = System.nanoTime();
        gt.kill();
        Throwable t = assertThrows(Throwable.class, gt::await);
        assertInstanceOf(GreenletExit.class, t, "await() threw " + t);
        assertTrue(finallyRan.get(), "the killed green thread's finally block did not run");
        assertTrue((System.nanoTime() - t0) / 1e9 < 100 * DELAY, "the kill did not end the sleep early");
    }

    /** A kill with a given throwable of a green thread blocked in Thread.sleep surfaces as that same throwable. */
    @Test
    void killWithThrowableDuringThreadSleepSurfacesAsThatThrowable() {
        Event<Void> sleeping = new Event<>();
        GreenThread<Void> gt = Eventlet.spawn(() -> {
            sleeping.send(null);
            Thread.sleep(millis(200 * DELAY));
            return null;
        });
        sleeping.await();
        IllegalStateException kill = new IllegalStateException("stop now");
        gt.kill(kill);
        Throwable t = assertThrows(Throwable.class, gt::await);
        assertSame(kill, t, "await() threw " + t);
    }

    /** A Timeout created in a green thread that reaches it blocked in Thread.sleep surfaces as that Timeout from await(). */
    @Test
    void timeoutDuringThreadSleepSurfacesAsThatTimeout() {
        Timeout[] mine = new Timeout[1];
        GreenThread<Void> gt = Eventlet.spawn(() -> {
            mine[0] = new Timeout(DELAY);
            Thread.sleep(millis(200 * DELAY));
            return null;
        });
        long t0 = System.nanoTime();
        Throwable t = assertThrows(Throwable.class, gt::await);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        assertSame(mine[0], t, "await() threw " + t);
        assertTrue(elapsed >= DELAY * 0.9 && elapsed < 100 * DELAY, "ended after " + elapsed + " s");
    }

    /**
     * A Timeout that reaches Thread.sleep under eventlet's idiom (cancel in a
     * finally block) still surfaces as that Timeout from await(), not as an
     * InterruptedException.
     */
    @Test
    void timeoutDuringThreadSleepWithCancelInFinallySurfacesAsThatTimeout() {
        Timeout[] mine = new Timeout[1];
        GreenThread<Void> gt = Eventlet.spawn(() -> {
            Timeout timeout = new Timeout(DELAY);
            mine[0] = timeout;
            try {
                Thread.sleep(millis(200 * DELAY));
            } finally {
                timeout.cancel();
            }
            return null;
        });
        Throwable t = assertThrows(Throwable.class, gt::await);
        assertSame(mine[0], t, "await() threw " + t + (t.getCause() != null ? " caused by " + t.getCause() : ""));
    }

    /** Timeout.withTimeout around Thread.sleep in a green thread throws that Timeout, not an InterruptedException. */
    @Test
    void withTimeoutAroundThreadSleepThrowsTheTimeout() {
        GreenThread<Throwable> gt = Eventlet.spawn(() -> {
            try {
                Timeout.withTimeout(DELAY, () -> {
                    Thread.sleep(millis(200 * DELAY));
                    return null;
                });
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        Throwable t = gt.await();
        assertInstanceOf(Timeout.class, t, "withTimeout threw " + t
                + (t != null && t.getCause() != null ? " caused by " + t.getCause() : ""));
    }

    /**
     * A kill of a green thread blocked in a blocking SocketChannel read ends
     * the read with GreenletExit from await(). The kill has to interrupt the
     * JDK call, and the JDK closes an InterruptibleChannel whose blocked
     * thread is interrupted, so the channel is closed afterwards.
     */
    @Test
    void killDuringChannelReadSurfacesAsGreenletExitAndClosesTheChannel() throws IOException {
        SocketChannel[] pair = channelPair();
        try (SocketChannel a = pair[0]; SocketChannel b = pair[1]) {
            Event<Void> reading = new Event<>();
            AtomicBoolean finallyRan = new AtomicBoolean();
            GreenThread<Integer> gt = Eventlet.spawn(() -> {
                try {
                    reading.send(null);
                    return b.read(ByteBuffer.allocate(1));
                } finally {
                    finallyRan.set(true);
                }
            });
            reading.await();
            gt.kill();
            Throwable t = assertThrows(Throwable.class, gt::await);
            assertInstanceOf(GreenletExit.class, t, "await() threw " + t);
            assertTrue(finallyRan.get());
            assertFalse(b.isOpen(), "the JDK closes an interrupted InterruptibleChannel");
            assertTrue(a.isOpen());
        }
    }

    /**
     * A kill of a green thread blocked in a java.net.Socket read ends the read
     * with GreenletExit from await(); the JDK closes a socket whose virtual
     * thread is interrupted in a read, so the socket is closed afterwards.
     */
    @Test
    void killDuringSocketReadSurfacesAsGreenletExit() throws IOException {
        Socket[] pair = socketPair();
        try (Socket a = pair[0]; Socket b = pair[1]) {
            Event<Void> reading = new Event<>();
            GreenThread<Integer> gt = Eventlet.spawn(() -> {
                reading.send(null);
                return b.getInputStream().read();
            });
            reading.await();
            gt.kill();
            Throwable t = assertThrows(Throwable.class, gt::await);
            assertInstanceOf(GreenletExit.class, t, "await() threw " + t);
            assertTrue(b.isClosed(), "the JDK closes a socket whose reader is interrupted");
        }
    }
}

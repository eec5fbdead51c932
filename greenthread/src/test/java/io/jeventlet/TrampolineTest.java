package io.jeventlet;

import static io.jeventlet.TestDelays.DELAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * {@link Hub#trampoline}: eventlet's wait for I/O readiness of a non-blocking
 * channel — it parks only the calling green thread (or runs the hub, for the
 * main greenlet), ends with {@code io.jeventlet.Timeout} when its limit
 * passes, and enforces eventlet's "second simultaneous read" rule.
 *
 * <p>Each test makes its own loopback channel pair and closes it; every
 * green thread it spawns is awaited.
 */
class TrampolineTest {
    /** A trampoline limit long enough never to pass unless something is broken. */
    private static final double LONG = 200 * DELAY;

    /** kotlinx.coroutines' expect(n): steps must happen in their numbered order. */
    private static final class Steps {
        private int last;

        void expect(int n) {
            assertEquals(last + 1, n, "step " + n + " happened after step " + last);
            last = n;
        }
    }

    /** A connected loopback pair: [0] stays blocking (the peer), [1] is non-blocking. */
    private static SocketChannel[] pair() throws IOException {
        try (ServerSocketChannel srv = ServerSocketChannel.open()) {
            srv.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel a = SocketChannel.open(srv.getLocalAddress());
            SocketChannel b = srv.accept();
            b.configureBlocking(false);
            return new SocketChannel[] {a, b};
        }
    }

    private static int readOne(SocketChannel nonBlocking) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1);
        assertEquals(1, nonBlocking.read(buf), "no byte to read although the trampoline said readable");
        return buf.get(0);
    }

    /** A green thread parks in trampoline until the channel is readable, which another green thread makes it later. */
    @Test
    void parksUntilReadable() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            Steps steps = new Steps();
            GreenThread<Integer> reader = Eventlet.spawn(() -> {
                steps.expect(1);
                Hub.get().trampoline(ch, true, false, LONG);
                steps.expect(4);
                return readOne(ch);
            });
            GreenThread<Void> writer = Eventlet.spawn(() -> {
                steps.expect(2);
                Eventlet.sleep(DELAY);
                steps.expect(3);
                peer.write(ByteBuffer.wrap(new byte[] {42}));
                return null;
            });
            writer.await();
            assertEquals(42, reader.await());
            steps.expect(5);
        }
    }

    /** A trampoline for writing on a connected channel with room in its buffer returns at once. */
    @Test
    void writableChannelReturnsAtOnce() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            GreenThread<Double> gt = Eventlet.spawn(() -> {
                long t0 = System.nanoTime();
                Hub.get().trampoline(ch, false, true, LONG);
                return (System.nanoTime() - t0) / 1e9;
            });
            assertTrue(gt.await() < LONG / 2, "waited for writability of an idle connected channel");
        }
    }

    /** A trampoline for reading a non-blocking ServerSocketChannel returns when a connection is ready to accept. */
    @Test
    void serverChannelIsReadableWhenAConnectionArrives() throws IOException {
        try (ServerSocketChannel srv = ServerSocketChannel.open()) {
            srv.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            srv.configureBlocking(false);
            Steps steps = new Steps();
            GreenThread<Boolean> acceptor = Eventlet.spawn(() -> {
                steps.expect(1);
                Hub.get().trampoline(srv, true, false, LONG);
                steps.expect(3);
                try (SocketChannel accepted = srv.accept()) {
                    return accepted != null;
                }
            });
            GreenThread<Void> connector = Eventlet.spawn(() -> {
                steps.expect(2);
                SocketChannel.open(srv.getLocalAddress()).close();
                return null;
            });
            connector.await();
            assertTrue(acceptor.await(), "accept found no connection after the trampoline returned");
            steps.expect(4);
        }
    }

    /** When the channel stays unreadable, trampoline throws io.jeventlet.Timeout once its limit passes. */
    @Test
    void timeoutThrowsTimeout() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            GreenThread<Void> gt = Eventlet.spawn(() -> Hub.get().trampoline(ch, true, false, DELAY));
            long t0 = System.nanoTime();
            Throwable t = assertThrows(Throwable.class, gt::await);
            double waited = (System.nanoTime() - t0) / 1e9;
            assertInstanceOf(Timeout.class, t, "trampoline threw " + t);
            assertTrue(waited >= DELAY * 0.9 && waited < LONG, "timed out after " + waited + " s");
            assertTrue(ch.isOpen());
        }
    }

    /** A channel in blocking mode is an IllegalArgumentException. */
    @Test
    void blockingChannelIsIllegalArgument() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            assertTrue(peer.isBlocking());
            GreenThread<Void> gt = Eventlet.spawn(() -> Hub.get().trampoline(peer, true, false, LONG));
            assertThrows(IllegalArgumentException.class, gt::await);
        }
    }

    /** Asking for neither read nor write is an IllegalArgumentException. */
    @Test
    void neitherReadNorWriteIsIllegalArgument() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            GreenThread<Void> gt = Eventlet.spawn(() -> Hub.get().trampoline(ch, false, false, LONG));
            assertThrows(IllegalArgumentException.class, gt::await);
        }
    }

    /** A negative or NaN timeout is an IllegalArgumentException, never a hang. */
    @Test
    void negativeOrNaNTimeoutIsIllegalArgument() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            GreenThread<Void> negative = Eventlet.spawn(() -> Hub.get().trampoline(ch, true, false, -DELAY));
            assertThrows(IllegalArgumentException.class, negative::await);
            GreenThread<Void> nan = Eventlet.spawn(() -> Hub.get().trampoline(ch, true, false, Double.NaN));
            assertThrows(IllegalArgumentException.class, nan::await);
        }
    }

    /** A second green thread waiting to read a channel that one already waits on gets IllegalStateException. */
    @Test
    void secondSimultaneousReadIsIllegalState() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            Steps steps = new Steps();
            GreenThread<Integer> first = Eventlet.spawn(() -> {
                steps.expect(1);
                Hub.get().trampoline(ch, true, false, LONG);
                steps.expect(4);
                return readOne(ch);
            });
            GreenThread<Void> second = Eventlet.spawn(() -> {
                steps.expect(2);
                Hub.get().trampoline(ch, true, false, LONG);
                return null;
            });
            Throwable t = assertThrows(Throwable.class, second::await);
            assertInstanceOf(IllegalStateException.class, t, "the second reader got " + t);
            assertTrue(t.getMessage().contains("second simultaneous read"), t.getMessage());
            steps.expect(3);
            peer.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, first.await(), "the first reader should be unaffected");
            steps.expect(5);
        }
    }

    /** The main greenlet (the test's OS thread) can trampoline too: it runs its hub until the channel is readable. */
    @Test
    void trampolineFromTheMainGreenlet() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            Steps steps = new Steps();
            GreenThread<Void> writer = Eventlet.spawn(() -> {
                steps.expect(2);
                Eventlet.sleep(DELAY);
                steps.expect(3);
                peer.write(ByteBuffer.wrap(new byte[] {7}));
                return null;
            });
            steps.expect(1);
            Hub.get().trampoline(ch, true, false, LONG);
            steps.expect(4);
            assertEquals(7, readOne(ch));
            writer.await();
        }
    }

    /** A kill of a green thread waiting in trampoline ends it with GreenletExit and leaves the channel open and readable. */
    @Test
    void killEndsTheWaitWithGreenletExitAndLeavesTheChannelOpen() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            Event<Void> waiting = new Event<>();
            GreenThread<Void> gt = Eventlet.spawn(() -> {
                waiting.send(null);
                Hub.get().trampoline(ch, true, false, Double.POSITIVE_INFINITY);
                return null;
            });
            waiting.await();
            gt.kill();
            Throwable t = assertThrows(Throwable.class, gt::await);
            assertInstanceOf(GreenletExit.class, t, "await() threw " + t);
            assertTrue(ch.isOpen(), "the kill closed the channel");
            GreenThread<Integer> next = Eventlet.spawn(() -> {
                Hub.get().trampoline(ch, true, false, LONG);
                return readOne(ch);
            });
            peer.write(ByteBuffer.wrap(new byte[] {3}));
            assertEquals(3, next.await(), "a new reader could not use the channel after the kill");
        }
    }

    /** A Timeout of a green thread waiting in trampoline surfaces as that Timeout and leaves the channel open. */
    @Test
    void timeoutObjectEndsTheWaitAndLeavesTheChannelOpen() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            Timeout[] mine = new Timeout[1];
            GreenThread<Void> gt = Eventlet.spawn(() -> {
                mine[0] = new Timeout(DELAY);
                try {
                    Hub.get().trampoline(ch, true, false, LONG);
                } finally {
                    mine[0].cancel();
                }
                return null;
            });
            Throwable t = assertThrows(Throwable.class, gt::await);
            assertNotNull(mine[0]);
            assertSame(mine[0], t, "await() threw " + t);
            assertTrue(ch.isOpen(), "the Timeout closed the channel");
            assertFalse(peer.socket().isClosed());
        }
    }

    /**
     * Closing a channel while a green thread waits in trampoline on it ends
     * that wait with an error soon, as eventlet's hub does for a closed file
     * descriptor, instead of leaving it parked until its own limit passes.
     */
    @Test
    void closingTheChannelEndsAWaitOnItWithAnError() throws IOException {
        SocketChannel[] p = pair();
        try (SocketChannel peer = p[0]; SocketChannel ch = p[1]) {
            Event<Void> waiting = new Event<>();
            GreenThread<Void> gt = Eventlet.spawn(() -> {
                waiting.send(null);
                Hub.get().trampoline(ch, true, false, 40 * DELAY);
                return null;
            });
            waiting.await();
            long t0 = System.nanoTime();
            ch.close();
            Throwable t = assertThrows(Throwable.class, gt::await);
            double waited = (System.nanoTime() - t0) / 1e9;
            assertFalse(t instanceof Timeout, "the waiter stayed parked until its limit (" + waited + " s) after the close");
            assertTrue(waited < 20 * DELAY, "the close ended the wait only after " + waited + " s");
        }
    }
}

package io.jeventlet;

import static io.jeventlet.TestDelays.DELAY;
import static io.jeventlet.TestDelays.millis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Regressions for the pitfalls DESIGN.md found in prototypes on JDK 25:
 * the JDK's socket pollers must not become green threads of the hub where
 * sockets were first used; a kill or Timeout delivered to the runtime's own
 * waits must not interrupt (which would close the channels the target holds);
 * a stale interrupt flag must not make a wait spin or throw; and threads the
 * runtime starts for itself are platform threads, not green threads of the
 * hub that happened to trigger them.
 *
 * <p>Some checks also run in a fresh child JVM ({@link FreshJvmMain}), where
 * the first socket use of the process is guaranteed to happen inside a green
 * thread; in this JVM earlier tests may already have done it elsewhere.
 */
class JdkPitfallsTest {
    /**
     * Bound on any socket wait, so a regression fails instead of hanging. A
     * socket wait whose poller is stuck on a stopped hub only ends by this
     * timeout (and then finds its data), so a round trip must finish before
     * it. The limit is what tells the two apart, not a speed: a working
     * round trip on a machine loaded by other builds has taken 4.8 s (with a
     * quarter of the timeout as the limit, that failed), a stuck one takes
     * the whole timeout.
     */
    private static final int IO_TIMEOUT_MS = 20_000;
    private static final long ROUND_TRIP_LIMIT_NANOS = IO_TIMEOUT_MS * 3L / 4 * 1_000_000L;
    private static final String OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    // ---- (a) the JDK's socket pollers outlive the hub that first used sockets -------------------

    /** Socket I/O in green threads still completes after a hub whose green threads did socket I/O has stopped. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void greenSocketIoWorksAfterAHubThatDidSocketIoStopped() throws Exception {
        roundTripOnAHubThatThenStops();
        assertEquals(42, greenRoundTrip());
    }

    /** A plain virtual thread of the default scheduler still does socket I/O after a hub that did socket I/O stopped. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void plainVirtualThreadSocketIoWorksAfterAHubThatDidSocketIoStopped() throws Exception {
        roundTripOnAHubThatThenStops();
        assertEquals(42, virtualRoundTrip());
    }

    /**
     * In a fresh JVM whose first socket use is inside a green thread of a hub
     * that then stops, later socket I/O of green threads and of plain virtual
     * threads still completes.
     */
    @Test
    @org.junit.jupiter.api.Timeout(90)
    void freshJvmSocketIoWorksAfterTheFirstSocketHubStopped() throws Exception {
        runChild("sockets");
    }

    // ---- (b) a kill or Timeout at the runtime's own waits does not close held channels ----------

    /** A kill of a green thread parked in Event.await leaves the SocketChannel it holds open and usable. */
    @Test
    void killInEventAwaitLeavesHeldSocketChannelOpen() throws Exception {
        Event<Void> never = new Event<>();
        assertKillLeavesHeldChannelUsable(never::await);
    }

    /** A kill of a green thread parked in Eventlet.sleep leaves the SocketChannel it holds open and usable. */
    @Test
    void killInEventletSleepLeavesHeldSocketChannelOpen() throws Exception {
        assertKillLeavesHeldChannelUsable(() -> Eventlet.sleep(200 * DELAY));
    }

    /**
     * Kills a green thread parked in {@code wait} while it holds one end of a
     * socket pair; its finally block, and then both ends, must still do I/O.
     */
    private static void assertKillLeavesHeldChannelUsable(VirtualHubs.Body wait) throws Exception {
        SocketChannel[] pair = channelPair();
        try (SocketChannel peer = pair[0]; SocketChannel held = pair[1]) {
            Event<Void> parked = new Event<>();
            GreenThread<Void> gt = Eventlet.spawn(() -> {
                try {
                    parked.send(null);
                    wait.run();
                } finally {
                    held.write(ByteBuffer.wrap(new byte[] {9}));
                }
                return null;
            });
            parked.await();
            gt.kill();
            Throwable t = assertThrows(Throwable.class, gt::await);
            assertInstanceOf(GreenletExit.class, t, "await() threw " + t);
            assertTrue(held.isOpen(), "the kill closed the channel its target held");
            assertEquals(9, readByte(peer), "the target's finally block could not write to its channel");
            peer.write(ByteBuffer.wrap(new byte[] {5}));
            assertEquals(5, readByte(held));
        }
    }

    /** A kill of a green thread parked in Event.await leaves the ServerSocketChannel it holds open and accepting. */
    @Test
    void killInEventAwaitLeavesHeldServerSocketChannelOpen() throws Exception {
        try (ServerSocketChannel srv = ServerSocketChannel.open()) {
            srv.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel first = SocketChannel.open(srv.getLocalAddress())) {
                Event<Void> parked = new Event<>();
                Event<Void> never = new Event<>();
                AtomicReference<SocketChannel> acceptedInFinally = new AtomicReference<>();
                GreenThread<Void> gt = Eventlet.spawn(() -> {
                    try {
                        parked.send(null);
                        never.await();
                    } finally {
                        acceptedInFinally.set(srv.accept());
                    }
                    return null;
                });
                parked.await();
                gt.kill();
                Throwable t = assertThrows(Throwable.class, gt::await);
                assertInstanceOf(GreenletExit.class, t, "await() threw " + t);
                assertTrue(srv.isOpen(), "the kill closed the server channel its target held");
                assertNotNull(acceptedInFinally.get(), "the target's finally block could not accept");
                acceptedInFinally.get().close();
                try (SocketChannel second = SocketChannel.open(srv.getLocalAddress());
                        SocketChannel accepted = srv.accept()) {
                    assertTrue(second.isConnected() && accepted.isConnected());
                }
            }
        }
    }

    /** A Timeout delivered to a green thread parked in Event.await leaves the SocketChannel it holds open and usable. */
    @Test
    void timeoutInEventAwaitLeavesHeldSocketChannelOpen() throws Exception {
        SocketChannel[] pair = channelPair();
        try (SocketChannel peer = pair[0]; SocketChannel held = pair[1]) {
            Timeout[] mine = new Timeout[1];
            Event<Void> never = new Event<>();
            GreenThread<Void> gt = Eventlet.spawn(() -> {
                mine[0] = new Timeout(DELAY);
                try {
                    never.await();
                } finally {
                    mine[0].cancel();
                    held.write(ByteBuffer.wrap(new byte[] {9}));
                }
                return null;
            });
            Throwable t = assertThrows(Throwable.class, gt::await);
            assertSame(mine[0], t, "await() threw " + t);
            assertTrue(held.isOpen(), "the Timeout closed the channel its target held");
            assertEquals(9, readByte(peer), "the target's finally block could not write to its channel");
            peer.write(ByteBuffer.wrap(new byte[] {5}));
            assertEquals(5, readByte(held));
        }
    }

    // ---- (c) a stale interrupt flag ---------------------------------------------------------------

    /** A green thread with a stale interrupt flag sleeps its full Eventlet.sleep without spinning or throwing. */
    @Test
    void staleInterruptDoesNotBreakEventletSleepInAGreenThread() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        GreenThread<Void> gt = Eventlet.spawn(() -> {
            Thread.currentThread().interrupt();
            Eventlet.sleep(4 * DELAY);
        });
        gt.await();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        assertTrue(wall >= 4 * DELAY * 0.9, "the sleep ended early, after " + wall + " s");
        assertTrue(cpu < wall / 10, "the hub's carrier burnt " + cpu + " s of CPU in " + wall + " s: a spin");
    }

    /** A green thread with a stale interrupt flag waits out Event.await(timeout) and gets null, without throwing. */
    @Test
    void staleInterruptDoesNotBreakEventAwaitInAGreenThread() {
        Event<String> never = new Event<>();
        GreenThread<String> gt = Eventlet.spawn(() -> {
            Thread.currentThread().interrupt();
            return never.await(2 * DELAY);
        });
        long t0 = System.nanoTime();
        assertNull(gt.await());
        double wall = (System.nanoTime() - t0) / 1e9;
        assertTrue(wall >= 2 * DELAY * 0.9, "the wait ended early, after " + wall + " s");
    }

    /** The main greenlet (an OS thread) with a stale interrupt flag sleeps its full Eventlet.sleep without spinning. */
    @Test
    void staleInterruptDoesNotMakeTheMainGreenletSpin() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Thread.currentThread().interrupt();
        try {
            Eventlet.sleep(4 * DELAY);
        } finally {
            Thread.interrupted();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        assertTrue(wall >= 4 * DELAY * 0.9, "the sleep ended early, after " + wall + " s");
        assertTrue(cpu < wall / 10, "the main greenlet burnt " + cpu + " s of CPU in " + wall + " s: a spin");
    }

    // ---- (d) the runtime's own threads are platform threads ----------------------------------------

    /** A Tpool worker started from inside a green thread is a platform thread and not a green thread. */
    @Test
    void tpoolWorkersArePlatformThreads() {
        GreenThread<Object[]> gt = Eventlet.spawn(() -> Tpool.execute(
                () -> new Object[] {Thread.currentThread(), Eventlet.getCurrent()}));
        Object[] seen = gt.await();
        Thread worker = (Thread) seen[0];
        assertFalse(worker.isVirtual(), "Tpool ran the function on a virtual thread: " + worker);
        assertNull(seen[1], "Tpool's worker believes it is a green thread: " + seen[1]);
    }

    /** The blocking detector's watchdog, started from inside a green thread, is a platform thread. */
    @Test
    void blockingDetectorIsAPlatformThread() {
        GreenThread<Void> gt = Eventlet.spawn(() -> {
            Hub hub = Hub.get();
            hub.setBlockingDetection(40 * DELAY);
            try {
                Eventlet.sleep(DELAY / 5);
            } finally {
                hub.setBlockingDetection(0);
            }
        });
        gt.await();
        Thread detector = platformThreadNamed("jeventlet-blocking-detector");
        assertNotNull(detector, "no platform thread named jeventlet-blocking-detector: "
                + "the watchdog was not started or is a virtual thread");
        assertTrue(detector.isAlive());
    }

    /**
     * In a fresh JVM, the Tpool workers and the blocking detector that a green
     * thread brings into being are platform threads that outlive its hub.
     */
    @Test
    @org.junit.jupiter.api.Timeout(90)
    void freshJvmRuntimeThreadsStartedFromAGreenThreadArePlatformThreads() throws Exception {
        runChild("threads");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Thread platformThreadNamed(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private static SocketChannel[] channelPair() throws IOException {
        try (ServerSocketChannel srv = ServerSocketChannel.open()) {
            srv.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel a = SocketChannel.open(srv.getLocalAddress());
            SocketChannel b = srv.accept();
            return new SocketChannel[] {a, b};
        }
    }

    /** Reads one byte from a blocking channel on the calling OS thread, failing after IO_TIMEOUT_MS. */
    private static int readByte(SocketChannel ch) throws IOException {
        ch.socket().setSoTimeout(IO_TIMEOUT_MS);
        return ch.socket().getInputStream().read();
    }

    /**
     * A loopback round trip between two green threads of the caller's hub,
     * where the server's accept and the client's read both park: 41 out, 42 back.
     */
    static int greenRoundTrip() throws IOException {
        try (ServerSocket srv = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            srv.setSoTimeout(IO_TIMEOUT_MS);
            long t0 = System.nanoTime();
            GreenThread<Integer> server = Eventlet.spawn(() -> serve(srv));
            GreenThread<Integer> client = Eventlet.spawn(() -> {
                Eventlet.sleep(DELAY / 5);
                return call(srv);
            });
            int reply = client.await();
            assertEquals(41, server.await());
            assertQuick(t0, "green round trip");
            return reply;
        }
    }

    /** The same round trip between two plain virtual threads of the JDK's default scheduler. */
    static int virtualRoundTrip() throws Exception {
        try (ServerSocket srv = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            srv.setSoTimeout(IO_TIMEOUT_MS);
            long t0 = System.nanoTime();
            FutureTask<Integer> server = new FutureTask<>(() -> serve(srv));
            FutureTask<Integer> client = new FutureTask<>(() -> {
                Thread.sleep(millis(DELAY / 5));
                return call(srv);
            });
            Thread ts = Thread.ofVirtual().name("pitfalls-vserver").start(server);
            Thread tc = Thread.ofVirtual().name("pitfalls-vclient").start(client);
            try {
                assertEquals(41, server.get(2L * IO_TIMEOUT_MS, TimeUnit.MILLISECONDS));
                int reply = client.get(2L * IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                assertQuick(t0, "virtual-thread round trip");
                return reply;
            } finally {
                assertTrue(ts.join(Duration.ofMillis(2L * IO_TIMEOUT_MS)), "the virtual server thread hangs");
                assertTrue(tc.join(Duration.ofMillis(2L * IO_TIMEOUT_MS)), "the virtual client thread hangs");
            }
        }
    }

    private static void assertQuick(long t0, String what) {
        long took = System.nanoTime() - t0;
        assertTrue(took < ROUND_TRIP_LIMIT_NANOS, what + " took " + took / 1e9
                + " s: its socket waits ended only by their timeout (a JDK poller stuck on a stopped hub?)");
    }

    private static int serve(ServerSocket srv) throws IOException {
        try (Socket s = srv.accept()) {
            s.setSoTimeout(IO_TIMEOUT_MS);
            int b = s.getInputStream().read();
            s.getOutputStream().write(b + 1);
            return b;
        }
    }

    private static int call(ServerSocket srv) throws IOException {
        try (Socket c = new Socket()) {
            c.connect(srv.getLocalSocketAddress(), IO_TIMEOUT_MS);
            c.setSoTimeout(IO_TIMEOUT_MS);
            c.getOutputStream().write(41);
            return c.getInputStream().read();
        }
    }

    /** On a new platform thread, uses that thread's hub for a green socket round trip; the thread then ends. */
    static void roundTripOnAHubThatThenStops() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("pitfalls-short-lived-hub").start(() -> {
            try {
                outcome.set(greenRoundTrip());
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        assertTrue(t.join(Duration.ofMillis(3L * IO_TIMEOUT_MS)), "the short-lived hub's thread hangs");
        if (outcome.get() instanceof Throwable e) {
            throw new AssertionError("the round trip on the short-lived hub failed", e);
        }
        assertEquals(42, outcome.get());
    }

    /** Runs {@link FreshJvmMain} with {@code scenario} in a child JVM and fails unless it exits 0. */
    private static void runChild(String scenario) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, OPENS, "-cp", System.getProperty("java.class.path"),
                FreshJvmMain.class.getName(), scenario);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        FutureTask<String> output = new FutureTask<>(
                () -> new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Thread reader = Thread.ofPlatform().daemon().name("pitfalls-child-output").start(output);
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = output.get(10, TimeUnit.SECONDS);
        assertTrue(reader.join(Duration.ofSeconds(10)));
        assertTrue(exited, "the child JVM (" + scenario + ") hung and was destroyed; output:\n" + out);
        assertEquals(0, p.exitValue(), "the child JVM (" + scenario + ") failed; output:\n" + out);
        assertTrue(out.contains("OK " + scenario), out);
    }

    /**
     * The child JVM of the fresh-JVM tests: nothing touches a socket before
     * the scenario's first green thread does. Prints {@code OK <scenario>}
     * and exits 0, or prints the failure and exits 1.
     */
    public static final class FreshJvmMain {
        private FreshJvmMain() {}

        public static void main(String[] args) {
            try {
                switch (args[0]) {
                    case "sockets" -> sockets();
                    case "threads" -> threads();
                    default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
                }
                System.out.println("OK " + args[0]);
                System.out.flush();
                System.exit(0);
            } catch (Throwable t) {
                t.printStackTrace(System.out);
                System.out.flush();
                System.exit(1);
            }
        }

        private static void sockets() throws Exception {
            roundTripOnAHubThatThenStops();
            assertEquals(42, greenRoundTrip(), "green round trip after the first socket hub stopped");
            assertEquals(42, virtualRoundTrip(), "plain virtual-thread round trip after the first socket hub stopped");
        }

        private static void threads() throws Exception {
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread t = Thread.ofPlatform().name("pitfalls-short-lived-hub").start(() -> {
                try {
                    outcome.set(Eventlet.spawn(() -> {
                        Hub.get().setBlockingDetection(40 * DELAY);
                        return Tpool.execute(Thread::currentThread);
                    }).await());
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            assertTrue(t.join(Duration.ofMillis(3L * IO_TIMEOUT_MS)), "the short-lived hub's thread hangs");
            if (outcome.get() instanceof Throwable e) {
                throw new AssertionError("the green thread on the short-lived hub failed", e);
            }
            Thread worker = (Thread) outcome.get();
            assertFalse(worker.isVirtual(), "Tpool worker is a virtual thread: " + worker);
            Thread detector = platformThreadNamed("jeventlet-blocking-detector");
            assertNotNull(detector, "no platform thread named jeventlet-blocking-detector");
            assertTrue(detector.isAlive());
            // The pool still serves callers after the hub that started its first worker is gone.
            assertEquals("still served", Tpool.execute(() -> "still served"));
        }
    }
}

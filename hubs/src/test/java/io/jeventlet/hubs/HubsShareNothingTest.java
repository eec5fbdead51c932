package io.jeventlet.hubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Two hubs running at once share nothing on their hot paths: green-thread
 * switches, spawns, timers and trampoline I/O (each hub's own selector) on
 * two OS threads at the same time cause no contended monitor, no park of a
 * carrier other than its own idle sleep, and no hand-off from any other
 * thread into either hub.
 *
 * <p>The evidence is the JVM's own: a flight recording made in this process
 * with the lock events' thresholds at zero ({@code jdk.JavaMonitorEnter},
 * {@code jdk.JavaMonitorWait}, {@code jdk.ThreadPark}), kept to the events of
 * the two carriers and of virtual threads (the only virtual threads here are
 * the hubs' green threads); and each hub's count of work handed in by other
 * threads ({@link Hub#outsideEntries()}), which must not move.
 */
class HubsShareNothingTest {
    private static final String CARRIER = "share-nothing-hub-";
    private static final int HUBS = 2;

    @Test
    void twoHubsTouchNoSharedLockAndTakeNoOutsideWork() throws Exception {
        Path file = Files.createTempFile("hubs-share-nothing", ".jfr");
        List<String> offenders = new ArrayList<>();
        long[] outside = new long[HUBS];
        Instant[][] windows = new Instant[HUBS][2];
        try (Recording rec = new Recording()) {
            rec.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withStackTrace();
            rec.enable("jdk.JavaMonitorWait").withThreshold(Duration.ZERO).withStackTrace();
            rec.enable("jdk.ThreadPark").withThreshold(Duration.ZERO).withStackTrace();
            rec.start();
            runHubs(outside, windows);
            rec.stop();
            rec.dump(file);
        }
        try {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                RecordedThread t = e.getThread();
                if (t == null || !inWindow(e, t, windows)) {
                    continue;
                }
                if (e.getEventType().getName().equals("jdk.ThreadPark") && idleSleep(e)) {
                    continue;
                }
                offenders.add(e.getEventType().getName() + " on " + t.getJavaName() + " (virtual: " + t.isVirtual()
                        + ")\n" + e.getStackTrace());
            }
        } finally {
            Files.deleteIfExists(file);
        }
        assertTrue(offenders.isEmpty(), offenders.size() + " lock or park event(s) on the hubs' threads, first:\n"
                + offenders.stream().limit(5).toList());
        for (int h = 0; h < HUBS; h++) {
            assertEquals(0, outside[h], "work handed into hub " + h + " by other threads during its run");
        }
    }

    /**
     * True for an event of a hub's carrier inside that hub's measured run, or
     * of a green thread (an unnamed virtual thread; the JDK's own, such as its
     * socket pollers, have names) inside either run.
     */
    private static boolean inWindow(RecordedEvent e, RecordedThread t, Instant[][] windows) {
        String name = String.valueOf(t.getJavaName());
        for (int h = 0; h < HUBS; h++) {
            boolean mine = t.isVirtual() ? name.isEmpty() : name.equals(CARRIER + h);
            if (mine && !e.getStartTime().isBefore(windows[h][0]) && !e.getStartTime().isAfter(windows[h][1])) {
                return true;
            }
        }
        return false;
    }

    /** A carrier parked in its own idle sleep (CarrierSleep parks on its hub): waiting for a timer, not for a lock. */
    private static boolean idleSleep(RecordedEvent e) {
        RecordedClass parkedOn = e.getValue("parkedClass");
        return parkedOn != null && parkedOn.getName().equals(Hub.class.getName());
    }

    /** Runs the workloads on {@code HUBS} hubs at once, each on its own OS thread; records each hub's outside entries. */
    private static void runHubs(long[] outside, Instant[][] windows) throws Exception {
        CyclicBarrier together = new CyclicBarrier(HUBS);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        List<Thread> carriers = new ArrayList<>();
        for (int h = 0; h < HUBS; h++) {
            int hub = h;
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            carriers.add(Thread.ofPlatform().name(CARRIER + h).start(() -> {
                try {
                    Hub me = Hub.get();
                    workloads(me, hub); // once first: class loading and compilation stay out of the window
                    together.await(30, TimeUnit.SECONDS);
                    long before = me.outsideEntries();
                    windows[hub][0] = Instant.now();
                    workloads(me, hub);
                    windows[hub][1] = Instant.now();
                    outside[hub] = me.outsideEntries() - before;
                    f.complete(null);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            }));
        }
        for (CompletableFuture<Void> f : done) {
            f.get(50, TimeUnit.SECONDS);
        }
        for (Thread t : carriers) {
            t.join(10_000);
        }
    }

    /** Switches, spawns, timers and a trampoline echo, all on {@code hub}, run from its carrier (the main greenlet). */
    private static void workloads(Hub hub, int seed) throws Exception {
        // Switches: two green threads yielding to each other.
        joinAll(hub, List.of(yielder(20_000), yielder(20_000)));
        // Spawns: many short green threads.
        List<Runnable> tiny = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            tiny.add(() -> { });
        }
        joinAll(hub, tiny);
        // Timers: green threads parked until deadlines 0-5 ms away, and timers scheduled then cancelled.
        Random random = new Random(seed);
        List<Runnable> sleepers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double delay = random.nextDouble() * 0.005;
            sleepers.add(() -> {
                Greenlet me = Greenlet.current();
                double deadline = hub.clock() + delay;
                while (me.parkUntil(deadline)) {
                    // a spurious wake-up: park on to the deadline
                }
                for (int k = 0; k < 20; k++) {
                    hub.scheduleCallGlobal(10, () -> { }).cancel();
                }
            });
        }
        joinAll(hub, sleepers);
        // I/O: an echo over loopback TCP, both ends green threads waiting in the hub's trampoline.
        echo(hub, 2_000);
    }

    private static Runnable yielder(int times) {
        return () -> {
            Greenlet me = Greenlet.current();
            for (int i = 0; i < times; i++) {
                me.yieldNow();
            }
        };
    }

    /** Starts a green thread per body and runs the hub (as its main greenlet) until all have ended. */
    private static void joinAll(Hub hub, List<Runnable> bodies) {
        int[] left = {bodies.size()};
        Greenlet main = Greenlet.current();
        for (Runnable body : bodies) {
            hub.newGreenlet(() -> {
                try {
                    body.run();
                } finally {
                    if (--left[0] == 0) {
                        main.wake();
                    }
                }
            }).start();
        }
        main.waitFor(() -> left[0] == 0);
    }

    private static void echo(Hub hub, int roundTrips) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
            joinAll(hub, List.of(() -> serveOne(hub, server, roundTrips), () -> ping(hub, at, roundTrips)));
        }
    }

    private static void serveOne(Hub hub, ServerSocketChannel server, int roundTrips) {
        try {
            SocketChannel ch;
            while ((ch = server.accept()) == null) {
                hub.trampoline(server, true, false, 10);
            }
            try (SocketChannel c = ch) {
                c.configureBlocking(false);
                ByteBuffer buf = ByteBuffer.allocate(64);
                for (int i = 0; i < roundTrips; i++) {
                    buf.clear();
                    readFully(hub, c, buf);
                    buf.flip();
                    writeFully(hub, c, buf);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ping(Hub hub, InetSocketAddress at, int roundTrips) {
        try (SocketChannel c = SocketChannel.open()) {
            c.configureBlocking(false);
            if (!c.connect(at)) {
                while (!c.finishConnect()) {
                    hub.trampoline(c, false, true, 10);
                }
            }
            ByteBuffer buf = ByteBuffer.allocate(64);
            for (int i = 0; i < roundTrips; i++) {
                buf.clear();
                buf.putInt(0, i);
                writeFully(hub, c, buf);
                buf.clear();
                readFully(hub, c, buf);
                assertEquals(i, buf.getInt(0), "echoed round trip");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFully(Hub hub, SocketChannel c, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            int n = c.read(buf);
            if (n < 0) {
                throw new IOException("peer closed after " + buf.position() + " bytes");
            }
            if (n == 0) {
                hub.trampoline(c, true, false, 10);
            }
        }
    }

    private static void writeFully(Hub hub, SocketChannel c, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (c.write(buf) == 0) {
                hub.trampoline(c, false, true, 10);
            }
        }
    }
}

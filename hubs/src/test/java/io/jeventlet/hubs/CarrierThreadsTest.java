package io.jeventlet.hubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Carriers started through {@link CarrierThreads} never share a 128-byte block
 * (an aligned pair of cache lines) of the JVM's thread handle table with one
 * another, the memory each of them writes on every green-thread switch; plain
 * threads started back to back do.
 * Checked on the running JVM's own layout ({@link ThreadTableProbe}).
 *
 * <p>The layout a test starts its carriers into must be the one it means. A
 * thread that ended frees its slots only when the JVM deletes it, after
 * {@code join} has returned, so a hole appears some time later, possibly among
 * the starts of the carriers. Each test therefore waits until the threads it
 * ended are gone from the process ({@code /proc/self/task}) before it starts
 * carriers, and after it, until all of its threads are gone, so the next test
 * starts on a settled table. Every thread a test starts is named {@value #PREFIX}
 * (the OS keeps the first 15 bytes of a thread's name, enough for the prefix).
 */
class CarrierThreadsTest {
    /** More threads than this JVM has had alive at once, so their starts fill every hole older threads left. */
    private static final int FILL = 256;
    /** Every thread these tests start, and the spacers of their carriers, are named so. */
    private static final String PREFIX = "ctt-";

    private final ThreadTableProbe probe;
    private final CountDownLatch end = new CountDownLatch(1);
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

    CarrierThreadsTest() throws ReflectiveOperationException {
        probe = new ThreadTableProbe();
    }

    @AfterEach
    void endThreads() throws InterruptedException {
        end.countDown();
        for (Thread t : List.copyOf(threads)) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive(), t + " outlived its test");
        }
        awaitGoneFromProcess(PREFIX);
    }

    /** Two plain threads started one after the other share a block: the hazard the carriers are kept out of. */
    @Test
    void plainThreadsStartedBackToBackShareABlock() throws Exception {
        Thread previous = plain(PREFIX + "plain-0");
        for (int i = 1; i < FILL; i++) {
            Thread next = plain(PREFIX + "plain-" + i);
            if (probe.block(previous) == probe.block(next)) {
                return;
            }
            previous = next;
        }
        fail(FILL + " threads started back to back, no two neighbours in one block: the probe reads the wrong slot");
    }

    /** Carriers started one after the other share no block with one another. */
    @Test
    void carriersStartedBackToBackShareNoBlock() throws Exception {
        fillHoles();
        List<Thread> carriers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            carriers.add(carrier(PREFIX + "carrier-" + i));
        }
        assertApart(carriers);
    }

    /**
     * Carriers started by eight threads at once share no block with one another. The starters
     * live on until the test ends: one that ended at once would free its slots among the
     * others' starts, a hole this class makes no promise about.
     */
    @Test
    void carriersStartedAtOnceShareNoBlock() throws Exception {
        fillHoles();
        int n = 8;
        CyclicBarrier together = new CyclicBarrier(n);
        CountDownLatch started = new CountDownLatch(n);
        Thread[] carriers = new Thread[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(Thread.ofPlatform().name(PREFIX + "starter-" + k).start(() -> {
                try {
                    together.await(10, TimeUnit.SECONDS);
                    carriers[k] = carrier(PREFIX + "at-once-" + k);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    started.countDown();
                }
                awaitQuietly(end);
            }));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS), "the starters did not start their carriers in 10 s");
        assertApart(List.of(carriers));
    }

    /** Carriers started into a table where threads have ended, two of every four, share no block with one another. */
    @Test
    void carriersStartedIntoHolesShareNoBlock() throws Exception {
        fillHoles();
        CountDownLatch endEveryOther = new CountDownLatch(1);
        List<Thread> ending = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            if (i % 4 < 2) {
                ending.add(Thread.ofPlatform().name(PREFIX + "hole-" + i).start(() -> awaitQuietly(endEveryOther)));
            } else {
                plain(PREFIX + "kept-" + i);
            }
        }
        endEveryOther.countDown();
        for (Thread t : ending) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        awaitGoneFromProcess(PREFIX + "hole-");
        List<Thread> carriers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            carriers.add(carrier(PREFIX + "into-holes-" + i));
        }
        assertApart(carriers);
    }

    /** A carrier runs its body; its spacers end when it ends, also when the body throws. */
    @Test
    void spacersEndWithTheirCarrier() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread carrier = CarrierThreads.start(PREFIX + "spaced", false, () -> {
            awaitQuietly(release);
            throw new IllegalStateException("the body's own failure");
        });
        carrier.setUncaughtExceptionHandler((t, e) -> { });
        List<Thread> spacers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(PREFIX + "spaced-spacer-")).toList();
        assertEquals(3, spacers.size(), "spacers alive beside the carrier: " + spacers);
        assertTrue(spacers.stream().allMatch(Thread::isDaemon), "spacers must not keep the JVM alive");
        release.countDown();
        carrier.join(TimeUnit.SECONDS.toMillis(10));
        for (Thread s : spacers) {
            s.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(s.isAlive(), s + " outlived its carrier");
        }
    }

    /** A missing name or body is refused by name. */
    @Test
    void nullArgumentsAreNamed() {
        assertEquals("name", assertThrows(NullPointerException.class,
                () -> CarrierThreads.start(null, true, () -> { })).getMessage());
        assertEquals("body", assertThrows(NullPointerException.class,
                () -> CarrierThreads.start("x", true, null)).getMessage());
    }

    private void fillHoles() {
        for (int i = 0; i < FILL; i++) {
            plain(PREFIX + "fill-" + i);
        }
    }

    /**
     * Waits until no thread of this process has a name starting with {@code prefix}: the JVM
     * has deleted them, and with them their slots of the thread table.
     */
    private static void awaitGoneFromProcess(String prefix) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        while (!(left = namesInProcess(prefix)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("threads still in the process 10 s after they ended: " + left);
            }
            Thread.onSpinWait();
        }
    }

    private static List<String> namesInProcess(String prefix) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    // readAllLines, not readString: /proc reports a size of 0.
                    List<String> comm = Files.readAllLines(task.resolve("comm"));
                    if (!comm.isEmpty() && comm.get(0).startsWith(prefix)) {
                        names.add(comm.get(0));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended while the directory was listed
                } catch (IOException e) {
                    if (Files.exists(task)) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private void assertApart(List<Thread> carriers) throws IllegalAccessException {
        Map<Long, String> byBlock = new HashMap<>();
        for (Thread c : carriers) {
            String other = byBlock.put(probe.block(c), c.getName());
            assertTrue(other == null, c.getName() + " and " + other + " share a 128-byte block of the thread table");
        }
    }

    private Thread plain(String name) {
        Thread t = Thread.ofPlatform().name(name).stackSize(64 * 1024).start(() -> awaitQuietly(end));
        threads.add(t);
        return t;
    }

    private Thread carrier(String name) {
        Thread t = CarrierThreads.start(name, true, () -> awaitQuietly(end));
        threads.add(t);
        return t;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

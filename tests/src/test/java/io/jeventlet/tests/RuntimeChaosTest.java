package io.jeventlet.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Empty;
import io.jeventlet.Eventlet;
import io.jeventlet.Full;
import io.jeventlet.GreenPool;
import io.jeventlet.GreenThread;
import io.jeventlet.Queue;
import io.jeventlet.Semaphore;
import io.jeventlet.Timeout;
import io.jeventlet.VirtualHubs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coordination primitives together under random kills and timeouts:
 * producers put into a bounded {@link Queue} (some with the queue's own
 * timeout, some under a {@link Timeout}), consumers in a {@link GreenPool}
 * take items and then hold one of three {@link Semaphore} permits for a
 * while, and a killer green thread, and the producers right after a put,
 * kill random consumers wherever they are and replace them. Whatever lands where, no item is lost or
 * delivered twice, no permit leaks, the pool's bound holds, and when it is
 * all over no green thread or timer is left on the hub.
 */
class RuntimeChaosTest {
    private static final int PRODUCERS = 3;
    private static final int ITEMS_EACH = 2_000;
    private static final int CONSUMERS = 8;
    private static final int PERMITS = 3;

    /** What one run saw. */
    private record Outcome(Set<Integer> produced, List<Integer> consumed, int kills, int producerTimeouts,
            int maxHolding, int permitsLeft, int poolFree, HubCensus before, HubCensus after) {
    }

    /** Shared state of one run; hub-confined, so plain fields are safe. */
    private static final class Run {
        final Random random;
        final Queue<Integer> queue = new Queue<>(5);
        final Semaphore permits = new Semaphore(PERMITS);
        final GreenPool pool = new GreenPool(CONSUMERS);
        final Set<Integer> produced = new HashSet<>();
        final List<Integer> consumed = new ArrayList<>();
        final List<GreenThread<Void>> consumers = new ArrayList<>();
        boolean producing = true;
        int holding;
        int maxHolding;
        int kills;
        int producerTimeouts;

        Run(long seed) {
            random = new Random(seed);
        }

        double pause() {
            return random.nextDouble() * 0.01;
        }

        void produce(int first) {
            for (int item = first; item < first + ITEMS_EACH; item++) {
                int it = item;
                try {
                    if (random.nextBoolean()) {
                        queue.put(it, true, pause());
                    } else {
                        Timeout.withTimeout(pause(), () -> {
                            queue.put(it);
                            return null;
                        });
                    }
                    produced.add(it);
                    if (random.nextInt(5) == 0) {
                        // Often the consumer just handed this item, before it has run to take it.
                        killOne();
                    }
                } catch (Full | Timeout e) {
                    producerTimeouts++;
                }
                Eventlet.sleep(pause() / 4);
            }
        }

        Void consume() {
            while (producing || !queue.empty()) {
                Integer item;
                try {
                    item = queue.get(true, pause());
                } catch (Empty e) {
                    continue;
                }
                // No blocking point between get() returning and this line: a kill cannot land between.
                consumed.add(item);
                if (permits.acquire(true, pause())) {
                    try {
                        holding++;
                        maxHolding = Math.max(maxHolding, holding);
                        Eventlet.sleep(pause());
                    } finally {
                        holding--;
                        permits.release();
                    }
                }
            }
            return null;
        }

        void killer() {
            while (producing) {
                Eventlet.sleep(pause());
                killOne();
            }
        }

        /** Kills a random consumer, wherever it is, and puts a fresh one in its place. */
        void killOne() {
            consumers.removeIf(GreenThread::dead);
            if (!consumers.isEmpty()) {
                consumers.get(random.nextInt(consumers.size())).kill();
                kills++;
                consumers.add(pool.spawn(this::consume));
            }
        }
    }

    /** Seeded runs: the invariants hold whatever the interleaving of kills, timeouts and hand-offs. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void nothingLostDuplicatedOrLeaked(long seed) throws Exception {
        Outcome o = VirtualHubs.run(() -> {
            HubCensus before = HubCensus.now();
            Run run = new Run(seed);
            for (int i = 0; i < CONSUMERS; i++) {
                run.consumers.add(run.pool.spawn(run::consume));
            }
            GreenThread<Void> killer = Eventlet.spawn(run::killer);
            List<GreenThread<Void>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int first = p * ITEMS_EACH;
                producers.add(Eventlet.spawn(() -> run.produce(first)));
            }
            Eventlet.joinAll(producers);
            run.producing = false;
            killer.await();
            run.pool.waitAll();
            return new Outcome(run.produced, run.consumed, run.kills, run.producerTimeouts, run.maxHolding,
                    run.permits.counter(), run.pool.free(), before, HubCensus.now());
        });
        assertTrue(o.kills() > 100, "only " + o.kills() + " kills");
        assertTrue(o.producerTimeouts() > 100, "only " + o.producerTimeouts() + " timed-out puts");
        assertEquals(o.consumed().size(), new HashSet<>(o.consumed()).size(), "an item was delivered twice");
        Set<Integer> lost = new HashSet<>(o.produced());
        o.consumed().forEach(lost::remove);
        Set<Integer> unsent = new HashSet<>(o.consumed());
        unsent.removeAll(o.produced());
        assertEquals(Set.of(), lost, "items put but never delivered");
        assertEquals(Set.of(), unsent, "items delivered although their put failed");
        assertTrue(o.maxHolding() <= PERMITS, "permits held at once: " + o.maxHolding());
        assertEquals(PERMITS, o.permitsLeft(), "permits leaked or created");
        assertEquals(CONSUMERS, o.poolFree(), "pool slots leaked");
        assertEquals(o.before(), o.after(), "green threads or timers left behind");
    }
}

package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Producers and consumers over a queue are killed at random points, and
 * their puts and gets time out at random; no item may be lost or delivered
 * twice. Deterministic: a fixed seed, a virtual clock and a bounded number of
 * steps, so a failure replays exactly.
 */
class QueueKillFuzzTest {
    private static final long SEED = 0x5eed_c0ffeeL;
    private static final int STEPS = 400;
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 3;

    /** Bookkeeping shared by the green threads of one run (all on one hub: no locks needed). */
    private static final class Ledger {
        int nextId;
        final Set<Integer> attempted = new HashSet<>();
        final Set<Integer> confirmed = new HashSet<>();
        final Set<Integer> rejected = new HashSet<>();
        final List<Integer> received = new ArrayList<>();
        int kills;
    }

    /**
     * Every item whose put returned is received exactly once, no item is
     * received twice, no item whose put timed out is ever received, and no
     * waiter is left registered, on channels, bounded and unbounded queues.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, -1})
    void noItemLostOrDuplicatedUnderKills(int maxsize) throws Exception {
        Ledger l = VirtualHubs.run(() -> run(maxsize, new Random(SEED + maxsize)));
        Set<Integer> distinct = new HashSet<>(l.received);
        assertEquals(l.received.size(), distinct.size(), "an item was delivered twice");
        assertTrue(distinct.containsAll(l.confirmed), "an item whose put returned was lost");
        assertTrue(l.attempted.containsAll(distinct), "an item nobody put was received");
        for (Integer id : l.rejected) {
            assertTrue(!distinct.contains(id), "item " + id + " was received although its put timed out");
        }
        // Not vacuous: work flowed and the chaos really killed waiters.
        assertTrue(l.confirmed.size() > 100, "too little traffic: " + l.confirmed.size());
        assertTrue(l.kills > 50, "too few kills: " + l.kills);
    }

    private static Ledger run(int maxsize, Random rnd) {
        Ledger l = new Ledger();
        Queue<Integer> q = new Queue<>(maxsize);
        List<GreenThread<Void>> producers = new ArrayList<>();
        List<GreenThread<Void>> consumers = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            producers.add(producer(q, l, new Random(rnd.nextLong())));
        }
        for (int i = 0; i < CONSUMERS; i++) {
            consumers.add(consumer(q, l, new Random(rnd.nextLong())));
        }
        for (int step = 0; step < STEPS; step++) {
            Eventlet.sleep(rnd.nextInt(3) * 0.001);
            List<GreenThread<Void>> side = rnd.nextBoolean() ? producers : consumers;
            int i = rnd.nextInt(side.size());
            side.get(i).kill();
            l.kills++;
            side.set(i, side == producers ? producer(q, l, new Random(rnd.nextLong()))
                    : consumer(q, l, new Random(rnd.nextLong())));
        }
        for (GreenThread<Void> p : producers) {
            p.kill();
        }
        // Let the consumers drain what the producers left, then stop them too.
        Eventlet.sleep(1);
        for (GreenThread<Void> c : consumers) {
            c.kill();
        }
        while (!q.empty()) {
            l.received.add(q.getNowait());
        }
        assertEquals(0, q.getting(), "a dead getter is still registered");
        assertEquals(0, q.putting(), "a dead putter is still registered");
        return l;
    }

    /**
     * Sleeps 1 or 2 virtual milliseconds. Never {@code sleep(0)}: the virtual
     * clock only moves when every green thread waits, and a worker is killed
     * at its waits, not while it sits in the ready queue after a yield.
     */
    private static void pause(Random rnd) {
        Eventlet.sleep((1 + rnd.nextInt(2)) * 0.001);
    }

    private static GreenThread<Void> producer(Queue<Integer> q, Ledger l, Random rnd) {
        return Eventlet.spawn(() -> {
            while (true) {
                int id = l.nextId++;
                l.attempted.add(id);
                try {
                    if (rnd.nextInt(4) == 0) {
                        q.put(id, true, rnd.nextInt(3) * 0.001);
                    } else {
                        q.put(id);
                    }
                    l.confirmed.add(id);
                } catch (Full e) {
                    l.rejected.add(id);
                }
                pause(rnd);
            }
        });
    }

    private static GreenThread<Void> consumer(Queue<Integer> q, Ledger l, Random rnd) {
        return Eventlet.spawn(() -> {
            while (true) {
                try {
                    int id = rnd.nextInt(4) == 0 ? q.get(true, rnd.nextInt(3) * 0.001) : q.get();
                    l.received.add(id);
                } catch (Empty e) {
                    // A timed-out get takes nothing: try again.
                }
                pause(rnd);
            }
        });
    }
}

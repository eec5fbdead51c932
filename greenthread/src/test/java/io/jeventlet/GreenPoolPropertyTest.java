package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random mixes of spawn, spawnN, resize and kill, checking the pool's
 * concurrency bound from inside the tasks themselves. Deterministic: each
 * scenario runs on a fresh virtual-clock hub (one OS thread, FIFO scheduling,
 * time that only moves when everything is idle), so the same seed gives the
 * same interleaving on every run, and simulated work of seconds takes none.
 */
class GreenPoolPropertyTest {
    private static final int OPS = 600;

    /** One scenario's state; every field is touched by green threads of one hub only. */
    private static final class Scenario {
        final Random rnd;
        final GreenPool pool;
        int size;
        /** The most tasks that may be admitted now: the size, or more while a shrink drains. */
        int limit;
        int active;
        int maxActive;
        int admitted;
        int finished;
        final List<GreenThread<Void>> tasks = new ArrayList<>();
        final List<GreenThread<Void>> spawners = new ArrayList<>();

        Scenario(long seed, int size) {
            this.rnd = new Random(seed);
            this.pool = new GreenPool(size);
            this.size = size;
            this.limit = size;
        }

        /**
         * The invariant: slots in use (tasks admitted and not finished) and tasks
         * running never exceed the limit, which only exceeds the size right after a
         * shrink and then only falls, as admitted tasks finish.
         */
        void check(String where) {
            int used = size - pool.free();
            limit = Math.max(size, Math.min(limit, used));
            assertTrue(used <= limit, where + ": " + used + " slots used, limit " + limit + ", size " + size);
            assertTrue(active <= limit, where + ": " + active + " tasks running at once, limit " + limit);
            assertTrue(pool.running() <= limit, where + ": running() = " + pool.running() + ", limit " + limit);
        }

        void task(String name) {
            active++;
            maxActive = Math.max(maxActive, active);
            try {
                check(name + " start");
                int waits = rnd.nextInt(5);
                for (int i = 0; i < waits; i++) {
                    Eventlet.sleep(rnd.nextInt(3));
                    check(name + " after sleep");
                }
            } finally {
                active--;
                finished++;
            }
        }

        void spawnTask(int id) {
            tasks.add(pool.spawn(() -> {
                task("task " + id);
                return null;
            }));
            admitted++;
        }

        void spawnNTask(int id) {
            pool.spawnN(() -> task("spawnN task " + id));
            admitted++;
        }

        void resize(int newSize) {
            int used = size - pool.free();
            pool.resize(newSize);
            size = newSize;
            limit = Math.max(newSize, used);
        }
    }

    /** A GreenPool never has more tasks running than its size (or than were running when it shrank). */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void concurrencyBoundHoldsUnderRandomSpawnResizeKill(long seed) throws Exception {
        VirtualHubs.run(() -> scenarioWithResize(seed));
    }

    private static Void scenarioWithResize(long seed) {
        Scenario s = new Scenario(seed, 1 + new Random(seed).nextInt(5));
        for (int op = 0; op < OPS; op++) {
            int dice = s.rnd.nextInt(100);
            if (dice < 25) {
                s.spawnTask(op);
            } else if (dice < 45) {
                s.spawnNTask(op);
            } else if (dice < 55) {
                s.resize(1 + s.rnd.nextInt(8));
            } else if (dice < 65) {
                if (!s.tasks.isEmpty()) {
                    s.tasks.get(s.rnd.nextInt(s.tasks.size())).kill();
                }
            } else if (dice < 77) {
                int id = op;
                s.spawners.add(Eventlet.spawn(() -> {
                    if (s.rnd.nextBoolean()) {
                        s.spawnTask(id);
                    } else {
                        s.spawnNTask(id);
                    }
                }));
            } else if (dice < 82) {
                if (!s.spawners.isEmpty()) {
                    s.spawners.get(s.rnd.nextInt(s.spawners.size())).kill();
                }
            } else {
                Eventlet.sleep(s.rnd.nextInt(3));
            }
            s.check("driver op " + op);
        }
        Eventlet.joinAll(s.spawners);
        s.pool.waitAll();

        int neverStarted = (int) s.tasks.stream().filter(gt -> !gt.started()).count();
        assertEquals(s.admitted, s.finished + neverStarted, "every admitted task ran or was killed before it started");
        assertEquals(0, s.active);
        assertEquals(0, s.pool.running());
        assertEquals(0, s.pool.waiting());
        assertEquals(s.size, s.pool.free());
        assertTrue(s.maxActive >= 1);
        return null;
    }

    /** Without resize, a GreenPool(n) under load runs exactly up to n tasks at once and never more. */
    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 3, 8})
    void fixedSizePoolSaturatesButNeverExceeds(int n) throws Exception {
        VirtualHubs.run(() -> scenarioFixedSize(n));
    }

    private static Void scenarioFixedSize(int n) {
        Scenario s = new Scenario(n * 7919L, n);
        for (int op = 0; op < OPS; op++) {
            int dice = s.rnd.nextInt(100);
            if (dice < 40) {
                s.spawnTask(op);
            } else if (dice < 80) {
                s.spawnNTask(op);
            } else if (dice < 90) {
                if (!s.tasks.isEmpty()) {
                    s.tasks.get(s.rnd.nextInt(s.tasks.size())).kill();
                }
            } else {
                Eventlet.sleep(s.rnd.nextInt(2));
            }
        }
        s.pool.waitAll();
        assertEquals(n, s.maxActive);
        assertEquals(n, s.pool.free());
        return null;
    }
}

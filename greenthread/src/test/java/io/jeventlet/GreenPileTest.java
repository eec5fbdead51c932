package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** eventlet's tests/greenpool_test.py GreenPile and Stress cases, and GreenPile's iteration contract. */
@Timeout(30)
class GreenPileTest {
    private static <T> T passthru(T arg) {
        Eventlet.sleep(0);
        return arg;
    }

    private static <T> List<T> drain(GreenPile<T> pile) {
        List<T> out = new ArrayList<>();
        pile.forEachRemaining(out::add);
        return out;
    }

    /** Results come back in spawn order, then iteration ends. */
    @Test
    void resultsComeBackInSpawnOrder() {
        GreenPile<Integer> p = new GreenPile<>(4);
        for (int i = 0; i < 10; i++) {
            int n = i;
            p.spawn(() -> passthru(n));
        }
        assertEquals(IntStream.range(0, 10).boxed().toList(), drain(p));
        assertFalse(p.hasNext());
        assertThrows(NoSuchElementException.class, p::next);
    }

    /** A spawn that times out waiting for a slot leaves no hole: later spawns still come back in order. */
    @Test
    void timedOutSpawnLeavesNoHole() {
        GreenPile<Object> p = new GreenPile<>(4);
        for (int i = 0; i < 4; i++) {
            int n = i;
            p.spawn(() -> passthru(n));
        }
        io.jeventlet.Timeout t = new io.jeventlet.Timeout(0);
        try {
            assertSame(t, assertThrows(io.jeventlet.Timeout.class, () -> p.spawn(() -> passthru("time out"))));
        } finally {
            t.cancel();
        }
        for (int i = 4; i < 10; i++) {
            int n = i;
            p.spawn(() -> passthru(n));
        }
        assertEquals(IntStream.range(0, 10).boxed().toList(), drain(p));
    }

    /** A pile nothing was spawned into is empty at once (it does not wait). */
    @Test
    void emptyPileEndsAtOnce() {
        GreenPile<Object> p = new GreenPile<>(4);
        assertFalse(p.hasNext());
        assertEquals(List.of(), drain(p));
    }

    /** Two piles sharing a pool each get their own results, in their own order. */
    @Test
    void pilesSharingAPoolKeepTheirOwnResults() {
        GreenPool pool = new GreenPool(2);
        GreenPile<Integer> pile1 = new GreenPile<>(pool);
        GreenPile<Integer> pile2 = new GreenPile<>(pool);
        Eventlet.spawn(() -> {
            for (int i = 0; i < 10; i++) {
                int n = i;
                pile1.spawn(() -> passthru(n));
            }
        });
        Eventlet.spawn(() -> {
            for (int i = 0; i < 10; i++) {
                int n = i + 100;
                pile2.spawn(() -> passthru(n));
            }
        });
        Eventlet.sleep(0);
        assertEquals(IntStream.range(100, 110).boxed().toList(), drain(pile2));
        assertEquals(IntStream.range(0, 10).boxed().toList(), drain(pile1));
    }

    /** A task's exception is thrown for its own position only; the following results still come back. */
    @Test
    void exceptionIsThrownAtItsPosition() {
        GreenPile<Integer> p = new GreenPile<>(3);
        IllegalStateException boom = new IllegalStateException("boom");
        Hub.get().setDebugExceptions(false);
        try {
            p.spawn(() -> 1);
            p.spawn(() -> {
                throw boom;
            });
            p.spawn(() -> 3);
            assertEquals(1, p.next());
            assertSame(boom, assertThrows(IllegalStateException.class, p::next));
            assertTrue(p.hasNext());
            assertEquals(3, p.next());
            assertFalse(p.hasNext());
        } finally {
            Hub.get().setDebugExceptions(true);
        }
    }

    /** A reader in another green thread waits for a spawn that is still blocked on a full pool. */
    @Test
    void readerWaitsForABlockedSpawn() {
        GreenPool pool = new GreenPool(1);
        GreenPile<String> pile = new GreenPile<>(pool);
        Event<Void> hold = new Event<>();
        GreenThread<Void> holder = pool.spawn(hold::await);
        List<String> steps = new ArrayList<>();
        GreenThread<Void> spawner = Eventlet.spawn(() -> {
            steps.add("1 spawn blocks");
            pile.spawn(() -> "late result");
            steps.add("4 spawn returned");
        });
        GreenThread<List<String>> reader = Eventlet.spawn(() -> {
            steps.add("2 reader waits");
            List<String> got = drain(pile);
            steps.add("5 reader got " + got);
            return got;
        });
        Eventlet.sleep(0);
        steps.add("3 release the slot");
        hold.send(null);
        assertEquals(List.of("late result"), reader.await());
        spawner.await();
        holder.await();
        assertEquals(List.of("1 spawn blocks", "2 reader waits", "3 release the slot", "4 spawn returned",
                "5 reader got [late result]"), steps);
    }

    /** A reader waiting for a blocked spawn is released with NoSuchElementException when that spawn fails. */
    @Test
    void readerEndsWhenThePendingSpawnFails() {
        GreenPool pool = new GreenPool(1);
        GreenPile<String> pile = new GreenPile<>(pool);
        Event<Void> hold = new Event<>();
        pool.spawn(hold::await);
        GreenThread<Void> spawner = Eventlet.spawn(() -> pile.spawn(() -> "never"));
        GreenThread<Object> reader = Eventlet.spawn(() -> {
            try {
                return pile.next();
            } catch (NoSuchElementException e) {
                return "ended";
            }
        });
        Eventlet.sleep(0);
        spawner.kill();
        assertEquals("ended", reader.await());
        assertFalse(pile.hasNext());
        hold.send(null);
        pool.waitAll();
    }

    /**
     * Stress (eventlet's spawn_order_check): three producers spawning 300 tasks each that
     * yield and fail at random; each producer's results come back strictly in its own order.
     */
    @Test
    void concurrentProducersKeepTheirOrder() {
        for (int concurrency : new int[] {5, 50}) {
            Random r = new Random(concurrency);
            GreenPile<int[]> p = new GreenPile<>(concurrency);
            int iters = 300;
            Hub.get().setDebugExceptions(false);
            try {
                for (int unique = 1; unique <= 3; unique++) {
                    int u = unique;
                    Eventlet.spawn(() -> {
                        for (int i = 0; i < iters; i++) {
                            int[] token = {u, i};
                            p.spawn(() -> {
                                while (r.nextInt(2) == 0) {
                                    Eventlet.sleep(0);
                                }
                                if (r.nextInt(5) == 0) {
                                    throw new TokenFailure(token);
                                }
                                return token;
                            });
                        }
                    });
                }
                p.spawn(() -> new int[] {0, 0});
                int[] latest = {-1, -1, -1, -1};
                int received = 0;
                while (p.hasNext()) {
                    int[] token;
                    try {
                        token = p.next();
                    } catch (TokenFailure f) {
                        token = f.token;
                    }
                    if (++received % 5 == 0) {
                        Eventlet.sleep(0);
                    }
                    assertTrue(latest[token[0]] < token[1], "out of order for producer " + token[0]);
                    latest[token[0]] = token[1];
                }
                for (int u = 1; u <= 3; u++) {
                    assertEquals(iters - 1, latest[u], "producer " + u + " at concurrency " + concurrency);
                }
            } finally {
                Hub.get().setDebugExceptions(true);
            }
        }
    }

    private static final class TokenFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient int[] token;

        TokenFailure(int[] token) {
            super("token " + token[0] + "/" + token[1], null, false, false);
            this.token = token;
        }
    }
}

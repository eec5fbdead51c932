package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The examples of the seed documents behave exactly as they describe. */
class SeedExamplesTest {
    /** spawn(foo); spawn(bar); joinAll prints foo run, bar run, foo end, bar end when both sleep(0). */
    @Test
    void spawnJoinAllInterleavesAtSleepZero() {
        List<String> out = new ArrayList<>();
        GreenThread<Void> foo = Eventlet.spawn(() -> {
            out.add("foo run");
            Eventlet.sleep(0);
            out.add("foo end");
        });
        GreenThread<Void> bar = Eventlet.spawn(() -> {
            out.add("bar run");
            Eventlet.sleep(0);
            out.add("bar end");
        });
        List<GreenThread<?>> done = Eventlet.joinAll(List.of(foo, bar));
        assertEquals(List.of("foo run", "bar run", "foo end", "bar end"), out);
        assertEquals(List.of(foo, bar), done);
    }

    /** spawn does not run the function: nothing has run and ready() is false until the spawner blocks. */
    @Test
    void spawnDefersUntilTheSpawnerBlocks() {
        List<String> out = new ArrayList<>();
        Eventlet.spawn(() -> out.add("Foo"));
        GreenThread<Boolean> g = Eventlet.spawn(() -> out.add("Bar"));
        assertFalse(g.ready());
        assertTrue(out.isEmpty());
        Eventlet.joinAll(List.of(g));
        assertEquals(List.of("Foo", "Bar"), out);
        assertTrue(g.ready());
    }

    /** Three green threads sleeping 3 seconds each finish together, after 3 seconds, not 9. */
    @Test
    void threeSleepsFinishTogether() throws Exception {
        List<String> out = VirtualHubs.run(() -> {
            List<String> lines = new ArrayList<>();
            Hub hub = Hub.get();
            double start = hub.clock();
            List<GreenThread<Void>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                gs.add(Eventlet.spawn(() -> {
                    lines.add("func" + n + " start");
                    Eventlet.sleep(3);
                    lines.add("func" + n + " done");
                }));
            }
            Eventlet.joinAll(gs);
            lines.add("cost " + (hub.clock() - start));
            return lines;
        });
        assertEquals(List.of("func0 start", "func1 start", "func2 start", "func0 done", "func1 done", "func2 done",
                "cost 3.0"), out);
    }

    /** Ten tasks sleeping random 0-20 ms complete in order of their sleep, all within one max sleep. */
    @Test
    void asynchronousTasksFinishBySleepLength() throws Exception {
        List<Integer> order = VirtualHubs.run(() -> {
            Random r = new Random(7);
            List<Integer> done = new ArrayList<>();
            int[] sleeps = new int[10];
            List<GreenThread<Void>> gs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                sleeps[i] = r.nextInt(3);
                gs.add(Eventlet.spawn(() -> {
                    Eventlet.sleep(sleeps[n] * 0.01);
                    done.add(n);
                }));
            }
            Eventlet.joinAll(gs);
            List<Integer> expected = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 10; i++) {
                    if (sleeps[i] == s) {
                        expected.add(i);
                    }
                }
            }
            assertEquals(expected, done);
            return done;
        });
        assertEquals(10, order.size());
    }

    /** Killing a green thread runs its finally blocks before the killer resumes. */
    @Test
    void killRunsFinallyBlocks() {
        List<String> out = new ArrayList<>();
        GreenThread<Void> g = Eventlet.spawn(() -> {
            try {
                out.add("1 started");
                Eventlet.sleep(10);
                out.add("never");
            } finally {
                out.add("2 finally");
            }
        });
        Eventlet.sleep(0);
        g.kill();
        out.add("3 killer resumed");
        assertEquals(List.of("1 started", "2 finally", "3 killer resumed"), out);
        assertTrue(g.dead());
    }

    /** One setter and two waiters on an Event: both waiters wake with the data after the setter sends. */
    @Test
    void eventWithOneSetterAndTwoWaiters() throws Exception {
        List<String> out = VirtualHubs.run(() -> {
            List<String> lines = new ArrayList<>();
            Event<String> evt = new Event<>();
            GreenThread<Void> server = Eventlet.spawn(() -> {
                lines.add("i am preparing data.");
                Eventlet.sleep(3);
                evt.send("data");
            });
            Runnable client = () -> {
                lines.add("client");
                lines.add("get " + evt.await());
            };
            Eventlet.joinAll(List.of(server, Eventlet.spawn(client), Eventlet.spawn(client)));
            return lines;
        });
        assertEquals(List.of("i am preparing data.", "client", "client", "get data", "get data"), out);
    }

    /** The gevent Timeout example: a 10 s wait under a shorter Timeout ends with "Could not complete". */
    @Test
    void timeoutAroundJoin() throws Exception {
        String out = VirtualHubs.run(() -> {
            Timeout timeout = new Timeout(5);
            GreenThread<Void> sleeper = Eventlet.spawn(() -> Eventlet.sleep(10));
            try {
                sleeper.await();
                return "completed";
            } catch (Timeout t) {
                assertTrue(t == timeout);
                return "Could not complete";
            } finally {
                timeout.cancel();
                sleeper.kill();
            }
        });
        assertEquals("Could not complete", out);
    }
}

package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The L3 agent's green-thread entry point from the seed document
 * (shared/seeds/004: {@code after_start} does
 * {@code eventlet.spawn_n(self._process_routers_loop)}, and the loop runs
 * {@code pool.spawn_n(self._process_router_update)} on a
 * {@code GreenPool(size=8)} forever), bounded to a fixed number of updates
 * and run on a virtual-clock hub so simulated work takes no real time.
 */
class SeedL3LoopTest {
    private static final int POOL_SIZE = 8;
    private static final int UPDATES = 500;

    /** A miniature L3NATAgent: a queue of router updates, the processing loop, and a state reporter. */
    private static final class L3Agent {
        final Random rnd = new Random(185);
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        final TreeSet<Integer> processed = new TreeSet<>();
        final Event<Void> loopEnded = new Event<>();
        final List<Double> reports = new ArrayList<>();
        GreenPool pool;
        int spawned;
        int active;
        int maxActive;
        int maxRunning;

        L3Agent() {
            for (int router = 0; router < UPDATES; router++) {
                queue.add(router);
            }
        }

        void afterStart() {
            Eventlet.spawnN(this::processRoutersLoop);
        }

        /** "while True: pool.spawn_n(self._process_router_update)", ending after UPDATES spawns. */
        void processRoutersLoop() {
            pool = new GreenPool(POOL_SIZE);
            while (spawned < UPDATES) {
                pool.spawnN(this::processRouterUpdate);
                spawned++;
                maxRunning = Math.max(maxRunning, pool.running());
            }
            pool.waitAll();
            loopEnded.send(null);
        }

        void processRouterUpdate() {
            active++;
            maxActive = Math.max(maxActive, active);
            try {
                assertTrue(active <= POOL_SIZE, active + " updates processed at once");
                int router = queue.remove();
                // Simulated work against the plugin: some updates yield, some wait on "I/O".
                Eventlet.sleep(rnd.nextInt(4));
                processed.add(router);
            } finally {
                active--;
            }
        }

        void reportState() {
            reports.add(Hub.get().clock());
        }
    }

    /** The processing loop never runs more than 8 updates at once, keeps the pool full, and every update runs once. */
    @Test
    void processRoutersLoopRunsEveryUpdateAtMostEightAtOnce() throws Exception {
        VirtualHubs.run(() -> {
            L3Agent agent = new L3Agent();
            FixedIntervalLoopingCall heartbeat = new FixedIntervalLoopingCall(agent::reportState);
            heartbeat.start(30, 0, true);
            agent.afterStart();
            agent.loopEnded.await();
            double end = Hub.get().clock();
            heartbeat.stop();
            assertEquals(Boolean.TRUE, heartbeat.await());

            assertEquals(UPDATES, agent.spawned);
            assertEquals(UPDATES, agent.processed.size());
            assertEquals(0, agent.processed.first());
            assertEquals(UPDATES - 1, agent.processed.last());
            assertTrue(agent.queue.isEmpty());
            assertEquals(POOL_SIZE, agent.maxActive, "the pool was saturated but never exceeded");
            assertEquals(POOL_SIZE, agent.maxRunning);
            assertEquals(0, agent.pool.running());
            assertEquals(POOL_SIZE, agent.pool.free());

            // The state reports kept their 30 s schedule while the pool was busy. (This seed's
            // work does not end on a report instant, so which of the two comes first never matters.)
            assertTrue(end > 60 && end % 30 != 0, "simulated work lasted " + end + " s");
            List<Double> expected = new ArrayList<>();
            for (double t = 0; t <= end; t += 30) {
                expected.add(t);
            }
            assertEquals(expected, agent.reports);
            return null;
        });
    }
}

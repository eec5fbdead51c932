package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.Eventlet;
import io.jeventlet.LogCapture;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.MessagingTimeout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The agent's Neutron semantics against a scripted plugin, on a virtual-clock hub. */
class L3AgentTest {

    /** A plugin whose routers, answers and failures the test sets; it never notifies. */
    private static class StubPlugin implements L3PluginApi {
        final Map<String, Router> routers = new TreeMap<>();
        final List<Map<String, Object>> reports = new ArrayList<>();
        final List<Double> reportTimeouts = new ArrayList<>();
        final List<Integer> chunks = new ArrayList<>();
        final Set<String> alwaysFail = new HashSet<>();
        final Map<String, Integer> fetches = new HashMap<>();
        /** Fetches of a router asked for alone (not in a batch with other routers). */
        final Map<String, Integer> aloneFetches = new HashMap<>();
        int routerIdsCalls;
        int chunkLimit = Integer.MAX_VALUE;
        boolean reportsFail;
        String reportAnswer = "alive";

        void put(String id, long revision) {
            routers.put(id, new Router(id, revision, Instant.EPOCH,
                    List.of(new Router.Port("p-" + id, "10.0.0.1", "10.0.0.0/24")), List.of(),
                    List.of(new Router.FloatingIp("f-" + id, "172.24.0.1", "10.0.0.5"))));
        }

        @Override
        public List<String> getRouterIds(Context ctx) {
            routerIdsCalls++;
            return List.copyOf(routers.keySet());
        }

        @Override
        public List<Object> getRouters(Context ctx, List<String> ids) {
            chunks.add(ids.size());
            if (ids.size() == 1) {
                aloneFetches.merge(ids.get(0), 1, Integer::sum);
            }
            if (ids.size() > chunkLimit) {
                throw new MessagingTimeout("sync_routers: no reply within 60 s");
            }
            List<Object> out = new ArrayList<>();
            for (String id : ids) {
                fetches.merge(id, 1, Integer::sum);
                if (alwaysFail.contains(id)) {
                    throw new MessagingException("injected failure for " + id);
                }
                if (routers.containsKey(id)) {
                    out.add(routers.get(id).toWire());
                }
            }
            return out;
        }

        @Override
        public String reportState(Context ctx, Map<String, Object> state, double timeout) {
            reports.add(state);
            reportTimeouts.add(timeout);
            if (reportsFail) {
                throw new MessagingTimeout("report_state: no reply within " + timeout + " s");
            }
            return reportAnswer;
        }
    }

    private static L3Agent agent(StubPlugin plugin, double reportInterval, double periodicInterval) {
        return new L3Agent(new L3AgentConfig("host-a", reportInterval, periodicInterval, 0, 0.001), plugin,
                new RouterDriver(0.001, false), WallClock.of(Hub.get()));
    }

    /** The first full sync applies every router the plugin lists, and the driver holds exactly them. */
    @Test
    void firstFullSyncAppliesEveryRouter() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            for (int i = 0; i < 20; i++) {
                plugin.put("r" + i, 1 + i % 3);
            }
            L3Agent agent = agent(plugin, 1000, 5);
            agent.afterStart();
            Eventlet.sleep(2);
            Map<String, Long> expected = new TreeMap<>();
            plugin.routers.forEach((id, r) -> expected.put(id, r.revisionNumber()));
            assertEquals(expected, agent.routers());
            assertEquals(expected, agent.driver().applied());
            assertFalse(agent.fullSyncPending());
            agent.stop();
        });
    }

    /**
     * The full sync runs only while it is due: once at start, not on the
     * following periodic runs, and again after agent_updated and after a
     * report answered "revived".
     */
    @Test
    void fullSyncRunsOnlyWhenDue() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            plugin.put("a", 1);
            L3Agent agent = agent(plugin, 10, 2);
            agent.afterStart();
            Eventlet.sleep(9);
            assertEquals(1, plugin.routerIdsCalls, "full syncs in the first 9 s");
            agent.agentUpdated(Map.of("admin_state_up", true));
            Eventlet.sleep(2.5);
            assertEquals(2, plugin.routerIdsCalls, "full syncs after agent_updated");
            plugin.reportAnswer = "revived";
            Eventlet.sleep(11);
            assertEquals(3, plugin.routerIdsCalls, "full syncs after the report at 10 s was answered revived");
            agent.stop();
        });
    }

    /**
     * A sync_routers timeout halves the chunk (256, 128, 64, down to 32 at
     * most), the full sync is retried on the next periodic run, and a
     * success grows the chunk by 32.
     */
    @Test
    void chunkHalvesOnTimeoutAndGrowsAfterSuccess() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            for (int i = 0; i < 300; i++) {
                plugin.put(String.format("r%03d", i), 1);
            }
            plugin.chunkLimit = 70;
            L3Agent agent = agent(plugin, 1000, 1);
            agent.afterStart();
            Eventlet.sleep(2.5);
            assertEquals(List.of(256, 128, 64, 64, 64, 64, 44), plugin.chunks.subList(0, 7));
            assertFalse(agent.fullSyncPending());
            assertEquals(96, agent.syncRoutersChunkSize(), "64 + 32 after the successful sync");
            agent.stop();
        });
    }

    /** A full sync removes the routers the plugin no longer lists, without a notification. */
    @Test
    void fullSyncRemovesRoutersThePluginDropped() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            plugin.put("a", 1);
            plugin.put("b", 1);
            L3Agent agent = agent(plugin, 1000, 1);
            agent.afterStart();
            Eventlet.sleep(0.5);
            assertEquals(Set.of("a", "b"), agent.routers().keySet());
            plugin.routers.remove("b");
            agent.agentUpdated(Map.of());
            Eventlet.sleep(1.5);
            assertEquals(Set.of("a"), agent.routers().keySet());
            assertFalse(agent.driver().hasRouter("b"));
            agent.stop();
        });
    }

    /**
     * An update whose fetch keeps failing is queued again at priority 2 until
     * its tries run out (6 attempts for Neutron's 5 tries), then dropped with
     * a warning; other routers are processed meanwhile.
     */
    @Test
    void failingUpdateIsRetriedThenDropped() throws Exception {
        try (LogCapture log = new LogCapture(L3Agent.class, Level.INFO)) {
            VirtualHubs.on(() -> {
                StubPlugin plugin = new StubPlugin();
                L3Agent agent = agent(plugin, 1000, 1000);
                agent.afterStart();
                Eventlet.sleep(0.1);
                plugin.put("bad", 1);
                plugin.put("good", 1);
                plugin.alwaysFail.add("bad");
                agent.routersUpdated(List.of("bad", "good"));
                Eventlet.sleep(1);
                // Each attempt asks for it alone once: the first was also in a batch with "good",
                // which failed, so both were asked for again alone.
                assertEquals(6, plugin.aloneFetches.get("bad"), "attempts of the failing update");
                assertEquals(1, agent.droppedUpdates());
                assertEquals(Set.of("good"), agent.routers().keySet());
                assertTrue(agent.idle());
                agent.stop();
            });
            assertEquals(1, log.count("Hit retry limit with router update for bad"), log.lines().toString());
        }
    }

    /** A malformed router from the plugin is never applied half-way; once the plugin sends it right, it is applied. */
    @Test
    void malformedRouterIsRetriedNotApplied() throws Exception {
        VirtualHubs.on(() -> {
            Map<String, Object> broken = new HashMap<>();
            StubPlugin good = new StubPlugin();
            good.put("m", 2);
            broken.putAll(good.routers.get("m").toWire());
            broken.put("revision_number", "two");
            int[] calls = {0};
            StubPlugin plugin = new StubPlugin() {
                @Override
                public List<Object> getRouters(Context ctx, List<String> ids) {
                    return ++calls[0] <= 2 ? List.of(broken) : good.getRouters(ctx, ids);
                }
            };
            L3Agent agent = agent(plugin, 1000, 1000);
            agent.afterStart();
            Eventlet.sleep(0.1);
            agent.routersUpdated(List.of("m"));
            Eventlet.sleep(0.5);
            assertEquals(Map.of("m", 2L), agent.routers());
            assertEquals(3, calls[0]);
            agent.stop();
        });
    }

    /** The pool is max(8, min(32, routers)): it grows as routers are added and shrinks back as they go. */
    @Test
    void poolFollowsTheRouterCount() throws Exception {
        try (LogCapture log = new LogCapture(L3Agent.class, Level.INFO)) {
            VirtualHubs.on(() -> {
                StubPlugin plugin = new StubPlugin();
                for (int i = 0; i < 40; i++) {
                    plugin.put("r" + i, 1);
                }
                L3Agent agent = agent(plugin, 1000, 1000);
                assertEquals(8, agent.poolSize());
                agent.afterStart();
                Eventlet.sleep(2);
                assertEquals(40, agent.routers().size());
                assertEquals(32, agent.poolSize());
                for (int i = 0; i < 30; i++) {
                    plugin.routers.remove("r" + i);
                    agent.routerDeleted("r" + i);
                }
                Eventlet.sleep(2);
                assertEquals(10, agent.routers().size());
                assertEquals(10, agent.poolSize());
                for (int i = 30; i < 40; i++) {
                    agent.routerDeleted("r" + i);
                }
                Eventlet.sleep(2);
                assertEquals(8, agent.poolSize());
                agent.stop();
            });
            assertTrue(log.count("Resizing router processing queue green pool size to: 32") == 1, log.lines().toString());
            assertTrue(log.count("Resizing router processing queue green pool size to: 8") == 1, log.lines().toString());
        }
    }

    /**
     * The state report goes out at once and then every report_interval, with
     * that interval as its timeout, and carries start_flag only until one
     * succeeds; a run of failures is logged once, and the first success
     * after it is logged as a recovery.
     */
    @Test
    void stateReportFlagTimeoutAndFailureLogging() throws Exception {
        try (LogCapture log = new LogCapture(StateReporter.class, Level.INFO)) {
            VirtualHubs.on(() -> {
                StubPlugin plugin = new StubPlugin();
                plugin.reportsFail = true;
                L3Agent agent = agent(plugin, 3, 1000);
                agent.afterStart();
                Eventlet.sleep(7);
                assertEquals(3, plugin.reports.size(), "reports at 0, 3 and 6 s");
                plugin.reportsFail = false;
                Eventlet.sleep(6);
                assertEquals(5, plugin.reports.size());
                assertTrue(plugin.reports.subList(0, 4).stream().allMatch(r -> r.containsKey("start_flag")),
                        "start_flag until the first success");
                assertFalse(plugin.reports.get(4).containsKey("start_flag"), "no start_flag after a success");
                assertTrue(plugin.reportTimeouts.stream().allMatch(t -> t == 3.0), plugin.reportTimeouts.toString());
                assertEquals("host-a", plugin.reports.getFirst().get("host"));
                agent.stop();
            });
            assertEquals(1, log.count("Failed reporting state!"), log.lines().toString());
            assertEquals(1, log.count("Successfully reported state after a previous failure."), log.lines().toString());
        }
    }

    /**
     * The first successful state report after failed ones makes the agent
     * sync fully: a router the plugin gained while it was unreachable (its
     * notification lost) is applied without any notification.
     */
    @Test
    void fullSyncAfterThePluginWasUnreachable() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            plugin.put("r1", 1);
            L3Agent agent = agent(plugin, 3, 5);
            agent.afterStart();
            Eventlet.sleep(4);
            assertFalse(agent.fullSyncPending());
            plugin.reportsFail = true;
            plugin.put("r2", 1);
            Eventlet.sleep(6);
            assertEquals(Map.of("r1", 1L), agent.routers(), "no sync while the plugin is unreachable");
            plugin.reportsFail = false;
            Eventlet.sleep(9);
            assertEquals(Map.of("r1", 1L, "r2", 1L), agent.routers());
            assertFalse(agent.fullSyncPending());
            agent.stop();
        });
    }

    /**
     * A new report interval (a SIGHUP reload) paces the next reports and is
     * their timeout; the reports already made stay as they were.
     */
    @Test
    void reportIntervalChangesAtRunTime() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            L3Agent agent = agent(plugin, 3, 1000);
            agent.afterStart();
            Eventlet.sleep(7);
            assertEquals(3, plugin.reports.size(), "reports at 0, 3 and 6 s");
            agent.setReportInterval(10);
            Eventlet.sleep(9);
            assertEquals(3, plugin.reports.size(), "none between 7 and 16 s");
            Eventlet.sleep(2);
            assertEquals(4, plugin.reports.size(), "the next at 17 s");
            assertEquals(10.0, plugin.reportTimeouts.getLast());
            assertEquals(10.0, agent.status().get("report_interval"));
            assertThrows(IllegalArgumentException.class, () -> agent.setReportInterval(0));
            agent.stop();
        });
    }

    /** After stop() no loop or worker is left: nothing moves, no report goes out. */
    @Test
    void stopEndsEveryGreenThread() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            for (int i = 0; i < 10; i++) {
                plugin.put("r" + i, 1);
            }
            L3Agent agent = agent(plugin, 1, 1);
            agent.afterStart();
            Eventlet.sleep(2.5);
            agent.stop();
            int reports = plugin.reports.size();
            long processed = agent.stats().processed();
            agent.routersUpdated(List.of("r1"));
            Eventlet.sleep(10);
            assertEquals(reports, plugin.reports.size(), "the report loop still runs");
            assertEquals(processed, agent.stats().processed(), "a worker still runs");
            assertEquals(0, agent.stats().active());
        });
    }
    /** A notification that arrives before afterStart (the RPC server listens first) is kept and processed. */
    @Test
    void notificationBeforeStartIsProcessed() throws Exception {
        VirtualHubs.on(() -> {
            StubPlugin plugin = new StubPlugin();
            plugin.put("early", 3);
            L3Agent agent = agent(plugin, 1000, 1000);
            agent.routersUpdated(List.of("early"));
            agent.afterStart();
            Eventlet.sleep(1);
            assertEquals(Map.of("early", 3L), agent.routers());
            agent.stop();
        });
    }
}

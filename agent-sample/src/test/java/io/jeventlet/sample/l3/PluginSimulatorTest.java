package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin simulator's workload, scheduling, liveness and faults, on a virtual-clock hub so counts are exact. */
class PluginSimulatorTest {

    /** Records the casts instead of sending them. */
    private static final class Casts implements L3AgentNotifier {
        final List<String> sent = new ArrayList<>();

        @Override
        public void routersUpdated(String host, List<String> routerIds) {
            sent.add(host + " routers_updated " + routerIds);
        }

        @Override
        public void routerDeleted(String host, String routerId) {
            sent.add(host + " router_deleted " + routerId);
        }

        @Override
        public void routerAddedToAgent(String host, List<String> routerIds) {
            sent.add(host + " router_added_to_agent " + routerIds);
        }

        @Override
        public void routerRemovedFromAgent(String host, String routerId) {
            sent.add(host + " router_removed_from_agent " + routerId);
        }

        @Override
        public void agentUpdated(String host) {
            sent.add(host + " agent_updated");
        }
    }

    private static PluginSimulator plugin(int routers, double rate, PluginFaults faults) {
        return new PluginSimulator(routers, rate, 1, 75, faults, WallClock.of(Hub.get()));
    }

    private static Map<String, Object> report(String host) {
        return Map.of("host", host, "agent_type", "L3 agent");
    }

    /** setUpdateRate takes effect at once: 0 pauses the changes and a higher rate does not wait out the old interval. */
    @Test
    void setUpdateRateTakesEffectAtOnce() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator p = plugin(5, 10, PluginFaults.NONE);
            p.connect(new Casts());
            p.start();
            Eventlet.sleep(1.05);
            assertEquals(10, p.changes(), "changes in 1.05 s at 10/s");
            p.setUpdateRate(0);
            Eventlet.sleep(100);
            assertEquals(10, p.changes(), "changes while paused");
            p.setUpdateRate(0.001);
            Eventlet.sleep(1);
            p.setUpdateRate(100);
            Eventlet.sleep(0.505);
            assertEquals(60, p.changes(), "changes 0.505 s after going from a 1000 s interval to 100/s");
            p.stop();
            Eventlet.sleep(1);
            assertEquals(60, p.changes(), "changes after stop");
        });
    }

    /** A negative, NaN or infinite rate is rejected by name. */
    @Test
    void badRateIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PluginSimulator(0, -1, 1, 75, PluginFaults.NONE, WallClock.SYSTEM));
        assertTrue(e.getMessage().contains("update_rate = -1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new PluginSimulator(0, Double.NaN, 1, 75, PluginFaults.NONE, WallClock.SYSTEM));
        assertThrows(IllegalArgumentException.class, () -> new PluginFaults(101, 0, 0, 0, 0, 0));
    }

    /**
     * Routers wait unscheduled until agents report; the first report is
     * answered "new", and the next report spreads the waiting routers over
     * every agent registered, the least-loaded first, with one
     * router_added_to_agent cast per host.
     */
    @Test
    void routersAreScheduledToReportingAgents() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator p = plugin(6, 0, PluginFaults.NONE);
            Casts casts = new Casts();
            p.connect(casts);
            p.start();
            assertEquals(6, p.unscheduled());
            assertEquals("new", p.reportState(report("a")));
            assertEquals("new", p.reportState(report("b")));
            assertEquals(6, p.unscheduled(), "nothing is scheduled on an agent's first report");
            assertEquals("alive", p.reportState(report("a")));
            assertEquals(3, p.scheduled("a").size());
            assertEquals(3, p.scheduled("b").size());
            assertEquals(List.of("a router_added_to_agent [router-1, router-3, router-5]",
                    "b router_added_to_agent [router-2, router-4, router-6]"), casts.sent);
            for (int i = 0; i < 4; i++) {
                p.changeOne();
            }
            assertEquals(p.routerCount(), p.scheduled("a").size() + p.scheduled("b").size());
            assertEquals(0, p.unscheduled());
            assertEquals(p.scheduled("a").keySet().stream().sorted().toList(), p.getRouterIds("a"));
            assertEquals(p.scheduled("b").size(), p.syncRouters("b", null).size());
            p.stop();
        });
    }

    /**
     * An agent silent for longer than agent_down_time is declared down and
     * its routers move to the agent still reporting; its next report is
     * answered "revived".
     */
    @Test
    void silentAgentIsDeclaredDownAndItsRoutersRescheduled() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator p = plugin(4, 0, PluginFaults.NONE);
            Casts casts = new Casts();
            p.connect(casts);
            p.start();
            p.reportState(report("a"));
            p.reportState(report("b"));
            p.reportState(report("a"));
            Map<String, Long> onA = p.scheduled("a");
            assertFalse(onA.isEmpty());
            for (int t = 0; t < 12; t++) {
                Eventlet.sleep(10);
                p.reportState(report("b"));
            }
            assertFalse(p.isAlive("a"));
            assertEquals(Map.of(), p.scheduled("a"));
            assertEquals(4, p.scheduled("b").size());
            assertEquals(onA.size(), p.rescheduled());
            assertEquals(onA.size(), casts.sent.stream().filter(c -> c.startsWith("a router_removed_from_agent")).count());
            assertEquals("revived", p.reportState(report("a")));
            assertTrue(p.isAlive("a"));
            p.stop();
        });
    }

    /** A report without a host is refused with a message naming the field, and the plugin goes on. */
    @Test
    void reportWithoutHostIsRefusedByName() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator p = plugin(0, 0, PluginFaults.NONE);
            p.connect(new Casts());
            p.start();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.reportState(Map.of("agent_type", "L3 agent")));
            assertTrue(e.getMessage().contains("agent_state.host"), e.getMessage());
            assertEquals("new", p.reportState(report("a")));
            p.stop();
        });
    }

    /** With every router malformed, each sync_routers reply carries routers that Router.fromWire refuses by field. */
    @Test
    void malformedRoutersAreRefusedByField() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator p = plugin(3, 0, new PluginFaults(0, 0, 0, 0, 0, 100));
            p.connect(new Casts());
            p.start();
            p.reportState(report("a"));
            p.reportState(report("a"));
            List<Map<String, Object>> routers = p.syncRouters("a", null);
            assertEquals(3, routers.size());
            MalformedRouterException e = assertThrows(MalformedRouterException.class,
                    () -> Router.fromWire(routers.getFirst()));
            assertEquals("_interfaces", e.field());
            assertEquals(3, p.routersMalformed());
            p.stop();
        });
    }

    /** A dropped reply is held for reply_hold seconds; the silence holds every reply until it ends. */
    @Test
    void droppedRepliesAndSilenceHoldTheAnswer() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator p = plugin(1, 0, new PluginFaults(100, 30, 0, 10, 20, 0));
            p.connect(new Casts());
            p.start();
            double t0 = Hub.get().clock();
            p.reportState(report("a"));
            assertEquals(30, Hub.get().clock() - t0, 1e-9, "a dropped reply is held for reply_hold");
            assertFalse(p.silent(), "the silence from 10 s to 30 s is over at 30 s");
            p.stop();
        });
    }
}

package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class L3AgentTest {

    /** A plugin stub whose routers the test sets, recording when reports arrive; it never notifies. */
    private static final class StubPlugin implements PluginApi {
        final Map<String, Router> routers = new HashMap<>();
        final List<Double> reportTimes = new ArrayList<>();
        final Set<String> failOnce = new HashSet<>();

        @Override
        public List<String> getRouterIds() {
            return List.copyOf(routers.keySet());
        }

        @Override
        public List<Router> getRouters(List<String> ids) {
            List<Router> found = new ArrayList<>();
            for (String id : ids) {
                if (failOnce.remove(id)) {
                    throw new IllegalStateException("simulated plugin failure for " + id);
                }
                if (routers.containsKey(id)) {
                    found.add(routers.get(id));
                }
            }
            return found;
        }

        @Override
        public void reportState(AgentState state) {
            reportTimes.add(Hub.get().clock());
        }
    }

    /**
     * Under a steady stream of plugin changes the agent processes every one
     * (or supersedes it by a newer fetch), ends in sync with the plugin, and
     * never runs more than {@code workers} workers or one worker per router.
     */
    @Test
    void processesEveryUpdateWithinTheWorkerLimit() throws Exception {
        DemoSummary s = VirtualHubs.run(() -> {
            InProcessDemo demo = new InProcessDemo(new AgentSettings("test", 3, 2, 7, 0.05), 20, 50, 11);
            demo.start();
            Eventlet.sleep(30);
            return demo.stop(120);
        });
        assertTrue(s.drained(), "the agent did not drain: " + s.lines());
        assertTrue(s.inSync(), "the agent's routers differ from the plugin's: " + s.lines());
        assertEquals(0, s.agent().concurrentRouterViolations());
        assertEquals(0, s.workerLimitViolations());
        assertEquals(3, s.agent().maxConcurrentWorkers(), "the pool should have been saturated");
        assertTrue(s.changes() >= 1400, "the simulator made only " + s.changes() + " changes");
        assertTrue(s.agent().updatesProcessed() > 0 && s.agent().updatesSuperseded() > 0, s.lines().toString());
        assertEquals(0, s.agent().failures());
        assertTrue(s.ok());
    }

    /** The state report goes to the plugin at once and then exactly every report_interval of hub time. */
    @Test
    void stateReportFiresAtTheConfiguredInterval() throws Exception {
        VirtualHubs.run(() -> {
            StubPlugin plugin = new StubPlugin();
            L3Agent agent = new L3Agent(new AgentSettings("test", 2, 3, 1000, 0), plugin);
            double t0 = Hub.get().clock();
            agent.afterStart();
            Eventlet.sleep(10);
            agent.stop();
            assertEquals(4, plugin.reportTimes.size(), "reports at " + plugin.reportTimes);
            for (int k = 0; k < 4; k++) {
                assertEquals(t0 + 3 * k, plugin.reportTimes.get(k), 1e-9, "report " + k);
            }
            assertEquals(4, agent.reports());
            return null;
        });
    }

    /** The periodic resync configures routers nobody notified and removes routers the plugin no longer has. */
    @Test
    void resyncFindsSilentChanges() throws Exception {
        VirtualHubs.run(() -> {
            StubPlugin plugin = new StubPlugin();
            plugin.routers.put("a", new Router("a", 1));
            plugin.routers.put("b", new Router("b", 1));
            L3Agent agent = new L3Agent(new AgentSettings("test", 2, 1000, 5, 0.1), plugin);
            agent.afterStart();
            Eventlet.sleep(1);
            assertEquals(Map.of("a", new Router("a", 1), "b", new Router("b", 1)), agent.routers());
            plugin.routers.remove("b");
            plugin.routers.put("a", new Router("a", 2));
            Eventlet.sleep(5);
            assertEquals(Map.of("a", new Router("a", 2)), agent.routers());
            assertEquals(2, agent.resyncs());
            agent.stop();
            return null;
        });
    }

    /** A router whose fetch fails is queued again and configured on the next try. */
    @Test
    void failedUpdateIsRetried() throws Exception {
        VirtualHubs.run(() -> {
            StubPlugin plugin = new StubPlugin();
            L3Agent agent = new L3Agent(new AgentSettings("test", 2, 1000, 1000, 0.1), plugin);
            agent.afterStart();
            plugin.routers.put("a", new Router("a", 1));
            plugin.failOnce.add("a");
            agent.routersUpdated(List.of("a"));
            Eventlet.sleep(1);
            assertEquals(Map.of("a", new Router("a", 1)), agent.routers());
            assertEquals(1, agent.stats().failures());
            agent.stop();
            return null;
        });
    }

    /** After stop() no loop or worker is left: the counters no longer move and no router is being processed. */
    @Test
    void stopEndsEveryGreenThread() throws Exception {
        VirtualHubs.run(() -> {
            StubPlugin plugin = new StubPlugin();
            for (int i = 0; i < 10; i++) {
                plugin.routers.put("r" + i, new Router("r" + i, 1));
            }
            L3Agent agent = new L3Agent(new AgentSettings("test", 4, 1, 1, 0.3), plugin);
            agent.afterStart();
            Eventlet.sleep(2.5);
            agent.stop();
            AgentState atStop = agent.state();
            int reportsAtStop = plugin.reportTimes.size();
            long resyncsAtStop = agent.resyncs();
            assertEquals(0, atStop.activeWorkers());
            agent.routersUpdated(List.of("r1"));
            Eventlet.sleep(10);
            assertEquals(reportsAtStop, plugin.reportTimes.size(), "the report loop still runs");
            assertEquals(atStop.updatesProcessed(), agent.state().updatesProcessed(), "a worker still runs");
            assertEquals(resyncsAtStop, agent.resyncs(), "the resync loop still runs");
            return null;
        });
    }
}

package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several agents and the plugin simulator together: under churn and faults, every agent ends with its schedule. */
class ConvergenceTest {

    private static L3Agent startAgent(DirectWiring w, String host) {
        L3Agent a = new L3Agent(new L3AgentConfig(host, 2, 5, 1, 0.002), w.pluginApi(host), new RouterDriver(0.002, false),
                WallClock.of(Hub.get()));
        w.agents.put(host, a);
        a.afterStart();
        return a;
    }

    private static boolean converged(DirectWiring w) {
        for (L3Agent a : w.agents.values()) {
            if (!a.idle() || a.fullSyncPending() || !a.routers().equals(w.plugin.scheduled(a.config().host()))) {
                return false;
            }
        }
        return true;
    }

    /** Polls (on the hub's clock) until every agent holds its schedule; false after {@code seconds}. */
    private static boolean awaitConverged(DirectWiring w, double seconds) {
        double deadline = Hub.get().clock() + seconds;
        while (!converged(w)) {
            if (Hub.get().clock() > deadline) {
                return false;
            }
            Eventlet.sleep(0.1);
        }
        return true;
    }

    /**
     * Three agents under a minute of churn at 30 changes/s end, once the
     * workload stops, with exactly the routers and revisions the plugin
     * scheduled to each, no router ever processed twice at once, and a
     * change-to-applied latency measured for the changes.
     */
    @Test
    void agentsConvergeOnTheirSchedule() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator plugin = new PluginSimulator(60, 30, 7, 75, PluginFaults.NONE, WallClock.of(Hub.get()));
            DirectWiring w = new DirectWiring(plugin, 10);
            plugin.start();
            for (int i = 1; i <= 3; i++) {
                startAgent(w, "agent-" + i);
            }
            Eventlet.sleep(60);
            plugin.stopWorkload();
            assertTrue(awaitConverged(w, 30), "agents did not converge: " + plugin.status());
            long processed = 0;
            for (L3Agent a : w.agents.values()) {
                assertEquals(0, a.stats().concurrentRouterViolations());
                assertTrue(a.routers().size() > 5, a.config().host() + " got too few routers: " + a.routers());
                processed += a.stats().processed();
                assertTrue(a.latency().count() > 0);
                assertTrue(a.latency().percentile(50) < 1000, "p50 " + a.latency().percentile(50) + " ms");
                a.stop();
            }
            assertTrue(plugin.changes() >= 1700, "changes: " + plugin.changes());
            assertTrue(processed > 1000, "processed: " + processed);
            assertEquals(0, plugin.unscheduled());
            plugin.stop();
        });
    }

    /**
     * An agent that stops reporting is declared down after agent_down_time;
     * its routers move to the others, which converge on the new schedule;
     * when it reports again it is revived, runs a full sync and drops what
     * is no longer its own.
     */
    @Test
    void downAgentsRoutersMoveAndItResyncsWhenRevived() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator plugin = new PluginSimulator(30, 5, 3, 20, PluginFaults.NONE, WallClock.of(Hub.get()));
            DirectWiring w = new DirectWiring(plugin, 10);
            plugin.start();
            startAgent(w, "agent-1");
            startAgent(w, "agent-2");
            L3Agent third = startAgent(w, "agent-3");
            Eventlet.sleep(10);
            assertTrue(plugin.scheduled("agent-3").size() > 0);
            third.stop();
            w.agents.remove("agent-3");
            Eventlet.sleep(40);
            assertTrue(!plugin.isAlive("agent-3"), "agent-3 still alive after 40 s of silence");
            assertEquals(Map.of(), plugin.scheduled("agent-3"));
            assertTrue(plugin.rescheduled() > 0);
            plugin.stopWorkload();
            assertTrue(awaitConverged(w, 30), "agents did not converge: " + plugin.status());
            L3Agent back = new L3Agent(new L3AgentConfig("agent-3", 2, 5, 1, 0.002), w.pluginApi("agent-3"),
                    third.driver(), WallClock.of(Hub.get()));
            w.agents.put("agent-3", back);
            back.afterStart();
            assertTrue(awaitConverged(w, 30), "the revived agent did not converge: " + back.status());
            assertTrue(plugin.isAlive("agent-3"));
            assertEquals(plugin.scheduled("agent-3").keySet(), back.driver().applied().keySet(),
                    "namespaces left from before the restart must be removed by the full sync");
            for (L3Agent a : w.agents.values()) {
                a.stop();
            }
            plugin.stop();
        });
    }
}

package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plugin simulator and several agents on one {@code inproc://} bus, on a
 * virtual-clock hub: under churn and faults, every agent ends with exactly
 * what the plugin scheduled to it, as the demo checks over the bus.
 */
class ConvergenceTest {
    private static final L3AgentConfig AGENT = new L3AgentConfig("template", 2, 5, 1, 0.002);

    private static InProcessDeployment deploy(String bus, int agents, PluginSimulator plugin, double timeout) {
        InProcessDeployment d = new InProcessDeployment(bus, agents, AGENT, plugin, timeout, false,
                WallClock.of(Hub.get()));
        d.start();
        return d;
    }

    /**
     * Three agents under a minute of churn at 30 changes/s agree with the
     * plugin once the workload stops; no router was ever processed twice at
     * once, and the change-to-applied latency was measured.
     */
    @Test
    void agentsConvergeOnTheirSchedule() throws Exception {
        DemoSummary s = VirtualHubs.run(() -> {
            PluginSimulator plugin = new PluginSimulator(60, 30, 7, 75, PluginFaults.NONE, WallClock.of(Hub.get()));
            try (InProcessDeployment d = deploy("converge", 3, plugin, 10)) {
                DemoRun run = new DemoRun(d.transport(), d.hosts(), 5);
                assertTrue(run.awaitAgents(10));
                Eventlet.sleep(60);
                DemoSummary summary = run.finish(60, 30);
                for (L3AgentService a : d.agents()) {
                    assertEquals(0, a.agent().stats().concurrentRouterViolations());
                }
                return summary;
            }
        });
        assertTrue(s.agreed(), String.join("\n", s.lines()));
        assertTrue(s.created() + s.updated() + s.deleted() >= 1700, s.lines().toString());
        assertTrue(s.agents().stream().allMatch(a -> a.routers() > 5 && a.updatesProcessed() > 100), s.lines().toString());
        assertTrue(s.latency().count() > 1000 && s.latency().percentile(50) < 1000, s.lines().toString());
        assertTrue(s.reportsReceived() >= 3 * 30, s.lines().toString());
    }

    /**
     * With the plugin dropping 10% of replies, sending 5% of routers
     * malformed and going silent for 20 s, the agents still agree with it
     * once the workload stops: failed fetches are retried, failed full syncs
     * run again, and nothing is lost.
     */
    @Test
    void agentsConvergeDespitePluginFaults() throws Exception {
        DemoSummary s = VirtualHubs.run(() -> {
            PluginFaults faults = new PluginFaults(10, 6, 0.01, 30, 20, 5);
            PluginSimulator plugin = new PluginSimulator(60, 20, 11, 75, faults, WallClock.of(Hub.get()));
            try (InProcessDeployment d = deploy("faults", 3, plugin, 5)) {
                DemoRun run = new DemoRun(d.transport(), d.hosts(), 30);
                assertTrue(run.awaitAgents(60));
                Eventlet.sleep(90);
                return run.finish(90, 120);
            }
        });
        assertTrue(s.agreed(), String.join("\n", s.lines()));
        assertFalse(s.faults().isEmpty(), s.lines().toString());
    }

    /**
     * An agent that stops is declared down after agent_down_time and its
     * routers move to the others; restarted under the same name on the same
     * host, it is revived, runs a full sync, removes the namespaces that are
     * no longer its own, and all agree again.
     */
    @Test
    void downAgentsRoutersMoveAndARestartCleansUp() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator plugin = new PluginSimulator(30, 5, 3, 20, PluginFaults.NONE, WallClock.of(Hub.get()));
            try (InProcessDeployment d = deploy("restart", 3, plugin, 5)) {
                DemoRun run = new DemoRun(d.transport(), d.hosts(), 5);
                assertTrue(run.awaitAgents(10));
                Eventlet.sleep(10);
                int before = plugin.scheduled("agent-3").size();
                assertTrue(before > 0);
                L3AgentService restarted = d.replaceAgent("agent-3", false);
                Eventlet.sleep(40);
                assertFalse(plugin.isAlive("agent-3"), "agent-3 still alive after 40 s without a report");
                assertEquals(Map.of(), plugin.scheduled("agent-3"));
                assertTrue(plugin.rescheduled() >= before);
                assertEquals(before, restarted.agent().driver().applied().size(), "the stopped agent's namespaces stay");
                restarted.start();
                DemoSummary s = run.finish(50, 60);
                assertTrue(s.agreed(), String.join("\n", s.lines()));
                assertTrue(plugin.isAlive("agent-3"));
                assertEquals(plugin.scheduled("agent-3").keySet(), restarted.agent().driver().applied().keySet(),
                        "namespaces left from before the restart must be removed by the full sync");
            }
        });
    }
}

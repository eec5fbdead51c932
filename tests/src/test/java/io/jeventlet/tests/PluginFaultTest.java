package io.jeventlet.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.sample.l3.DemoRun;
import io.jeventlet.sample.l3.DemoSummary;
import io.jeventlet.sample.l3.InProcessDeployment;
import io.jeventlet.sample.l3.L3AgentConfig;
import io.jeventlet.sample.l3.L3AgentService;
import io.jeventlet.sample.l3.PluginFaults;
import io.jeventlet.sample.l3.PluginSimulator;
import io.jeventlet.sample.l3.WallClock;
import org.junit.jupiter.api.Test;

/**
 * A plugin that misbehaves on purpose while routers keep changing: 10% of
 * its replies are lost (held past the caller's timeout), every reply is
 * late, 5% of the routers it sends are malformed, and it goes silent for two
 * minutes. Whatever fails, no router may be processed twice at once, and
 * once the changes stop the agents must agree with the plugin again,
 * through their retries and full syncs.
 */
class PluginFaultTest {

    private record Outcome(DemoSummary summary, long failures, long failedReports, long violations,
            long rescheduled, HubCensus before, HubCensus after) {
    }

    /**
     * Twenty minutes of churn under every fault, with a silence longer than
     * agent_down_time: the agents see failed fetches and failed reports and are
     * declared down (their routers rescheduled), and still agree with
     * the plugin at the end; stopping leaves nothing behind.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void agentsAgreeWithAFaultyPlugin() throws Exception {
        Outcome o = VirtualRun.run(100, () -> {
            HubCensus before = HubCensus.now();
            PluginFaults faults = new PluginFaults(10, 6, 0.02, 300, 120, 5);
            PluginSimulator plugin = new PluginSimulator(100, 30, 3, 75, faults, WallClock.of(Hub.get()));
            InProcessDeployment d = new InProcessDeployment("faulty", 3, new L3AgentConfig("faulty", 5, 10, 2, 0.005),
                    plugin, 5, false, WallClock.of(Hub.get()));
            d.start();
            DemoRun run = new DemoRun(d.transport(), d.hosts(), 30);
            Eventlet.sleep(1200);
            DemoSummary summary = run.finish(1200, 300);
            long failures = 0;
            long failedReports = 0;
            long violations = 0;
            for (L3AgentService a : d.agents()) {
                failures += a.agent().stats().failures();
                failedReports += a.agent().failedReports();
                violations += a.agent().stats().concurrentRouterViolations();
            }
            d.close();
            Eventlet.sleep(1); // the servers' consumer green threads were told to end: let them run to it
            return new Outcome(summary, failures, failedReports, violations, plugin.rescheduled(), before,
                    HubCensus.now());
        });
        DemoSummary s = o.summary();
        assertTrue(s.agreed(), String.join("\n", s.lines()));
        assertTrue(o.failures() > 100, "the agents saw only " + o.failures() + " failed updates");
        assertTrue(o.rescheduled() > 0, "no agent was declared down during the silence");
        assertTrue(o.failedReports() > 0, "no state report failed");
        assertEquals(0, o.violations(), "a router was processed by two workers at once");
        assertEquals(o.before(), o.after(), "green threads or timers left behind");
    }
}

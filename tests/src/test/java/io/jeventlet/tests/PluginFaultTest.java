package io.jeventlet.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.sample.l3.AgentSettings;
import io.jeventlet.sample.l3.AgentState;
import io.jeventlet.sample.l3.DemoSummary;
import io.jeventlet.sample.l3.InProcessDemo;
import io.jeventlet.sample.l3.PluginApi;
import io.jeventlet.sample.l3.Router;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Faults at the agent/plugin boundary: a plugin whose calls fail at seeded
 * random while routers keep changing. Whatever fails, the agent must never
 * process one router twice at once or exceed its worker limit, and once the
 * changes stop it must converge on the plugin's routers, through its retries
 * and resyncs, although the faults go on.
 */
class PluginFaultTest {

    /** Fails a seeded fraction of the calls it forwards, with the error a lost RPC reply would give. */
    private static final class FlakyPlugin implements PluginApi {
        private final PluginApi real;
        private final Random random;
        private final double failRate;
        long failures;

        FlakyPlugin(PluginApi real, long seed, double failRate) {
            this.real = real;
            this.random = new Random(seed);
            this.failRate = failRate;
        }

        private void maybeFail(String method) {
            if (random.nextDouble() < failRate) {
                failures++;
                throw new IllegalStateException("injected fault: " + method + " timed out");
            }
        }

        @Override
        public List<String> getRouterIds() {
            maybeFail("get_router_ids");
            return real.getRouterIds();
        }

        @Override
        public List<Router> getRouters(List<String> ids) {
            maybeFail("get_routers");
            return real.getRouters(ids);
        }

        @Override
        public void reportState(AgentState state) {
            maybeFail("report_state");
            real.reportState(state);
        }
    }

    private record Outcome(long injected, DemoSummary summary, HubCensus before, HubCensus after) {
    }

    /**
     * Twenty minutes of churn with 10% of plugin calls failing, then the
     * changes stop while the faults go on: within two resync intervals the
     * agent holds exactly the plugin's routers, the invariants held
     * throughout, and stopping leaves nothing behind.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void agentConvergesDespiteFaults() throws Exception {
        Outcome o = VirtualHubs.run(() -> {
            HubCensus before = HubCensus.now();
            FlakyPlugin[] flaky = new FlakyPlugin[1];
            InProcessDemo demo = new InProcessDemo(new AgentSettings("faulty", 6, 2, 20, 0.02), 100, 30, 3,
                    plugin -> flaky[0] = new FlakyPlugin(plugin, 9, 0.10));
            demo.start();
            Eventlet.sleep(1200);
            demo.plugin().stopUpdates();
            Eventlet.sleep(45);
            DemoSummary summary = demo.stop(60);
            return new Outcome(flaky[0].failures, summary, before, HubCensus.now());
        });
        AgentState agent = o.summary().agent();
        assertTrue(o.injected() > 1000, "only " + o.injected() + " faults injected");
        assertTrue(agent.failures() > 0, "the agent saw none of the faults: " + agent);
        assertEquals(0, agent.concurrentRouterViolations(), agent.toString());
        assertTrue(agent.maxConcurrentWorkers() <= 6, agent.toString());
        assertTrue(o.summary().drained(), "the agent did not go idle: " + agent);
        assertTrue(o.summary().inSync(), "the agent did not converge on the plugin's routers: " + agent);
        assertEquals(o.before(), o.after(), "green threads or timers left behind");
    }
}

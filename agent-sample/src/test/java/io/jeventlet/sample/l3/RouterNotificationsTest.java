package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import org.junit.jupiter.api.Test;

/**
 * The agents emit Neutron's router notifications for what they apply and
 * remove, and the plugin simulator listens and counts them: the demo
 * summary shows the count.
 */
class RouterNotificationsTest {

    /**
     * After a run on inproc://, the plugin counted one router.update.start and one router.update.end for
     * every router an agent applied, and the summary reports them.
     */
    @Test
    void pluginCountsTheAgentsRouterNotifications() throws Exception {
        VirtualHubs.on(() -> {
            PluginSimulator plugin = new PluginSimulator(30, 10, 5, 20, PluginFaults.NONE, WallClock.of(Hub.get()));
            try (InProcessDeployment d = new InProcessDeployment("notify-demo", 2,
                    new L3AgentConfig("template", 2, 5, 1, 0.002), plugin, 5, false, WallClock.of(Hub.get()))) {
                d.start();
                DemoRun run = new DemoRun(d.transport(), d.hosts(), 5);
                assertTrue(run.awaitAgents(10));
                Eventlet.sleep(20);
                DemoSummary s = run.finish(20, 30);
                assertTrue(s.agreed(), String.join("\n", s.lines()));
                long applied = d.agents().stream().mapToLong(a -> a.agent().routersApplied()).sum();
                assertTrue(applied > 50, "applied " + applied);
                Eventlet.sleep(1);
                assertEquals(applied, (long) plugin.notificationsReceived().get(RouterNotifications.UPDATE_END));
                assertEquals(applied, (long) plugin.notificationsReceived().get(RouterNotifications.UPDATE_START));
                assertTrue(s.notifications().getOrDefault(RouterNotifications.UPDATE_END, 0L) > 0, s.lines().toString());
                assertTrue(s.lines().stream().anyMatch(l -> l.startsWith("router notifications received by the plugin: ")),
                        s.lines().toString());
                assertTrue(s.lines().getLast().startsWith("agreement"), "the agreement line stays last");
            }
        });
    }
}

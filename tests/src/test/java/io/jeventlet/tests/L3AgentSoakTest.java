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
 * The sample's agents and plugin simulator under steady churn for an hour of
 * hub time, over an {@code inproc://} bus on a virtual clock (seconds of
 * wall time): the hub, timers, pools, queues, looping calls, the RPC client,
 * server and envelope run hundreds of thousands of times, and the run must
 * end with the agents agreeing with the plugin and nothing left behind.
 */
class L3AgentSoakTest {
    /** Bytes the live heap may grow between minute 10 and minute 60 (a leak of 150 B per change would exceed it). */
    private static final long HEAP_GROWTH_LIMIT = 6L << 20;

    private record Outcome(DemoSummary summary, HubCensus before, HubCensus after, long heapAt10, long heapAt60,
            int maxTracked, int maxRouters, long violations, long fullSyncs) {
    }

    /**
     * An hour at 12 changes/s (about 43,000 changes) over two agents: no
     * router is ever processed twice at once, the full sync runs only when
     * due (once per agent at start), the queue's timestamps stay bounded by
     * the routers present, the agents agree with the plugin at the end, and
     * the run leaves no green thread, timer or live-heap growth behind.
     */
    @Test
    @org.junit.jupiter.api.Timeout(240)
    void anHourOfChurnKeepsTheInvariantsAndLeaksNothing() throws Exception {
        Outcome o = VirtualRun.run(200, () -> {
            HubCensus before = HubCensus.now();
            PluginSimulator plugin = new PluginSimulator(200, 12, 5, 75, PluginFaults.NONE, WallClock.of(Hub.get()));
            InProcessDeployment d = new InProcessDeployment("soak", 2, new L3AgentConfig("soak", 10, 40, 5, 0.01),
                    plugin, 10, false, WallClock.of(Hub.get()));
            d.start();
            DemoRun run = new DemoRun(d.transport(), d.hosts(), 10);
            int maxTracked = 0;
            long heapAt10 = 0;
            for (int minute = 1; minute <= 60; minute++) {
                Eventlet.sleep(60);
                for (L3AgentService a : d.agents()) {
                    maxTracked = Math.max(maxTracked, a.agent().queue().trackedRouters());
                }
                if (minute == 10) {
                    heapAt10 = liveHeap();
                }
            }
            long heapAt60 = liveHeap();
            DemoSummary summary = run.finish(3600, 120);
            long violations = 0;
            long fullSyncs = 0;
            for (L3AgentService a : d.agents()) {
                violations += a.agent().stats().concurrentRouterViolations();
                fullSyncs += a.agent().fullSyncs();
            }
            int routers = plugin.routerCount();
            d.close();
            Eventlet.sleep(1); // the servers' consumer green threads were told to end: let them run to it
            return new Outcome(summary, before, HubCensus.now(), heapAt10, heapAt60, maxTracked, routers, violations,
                    fullSyncs);
        });
        DemoSummary s = o.summary();
        assertTrue(s.agreed(), String.join("\n", s.lines()));
        assertEquals(0, o.violations(), "a router was processed by two workers at once");
        assertTrue(s.created() + s.updated() + s.deleted() >= 42_000, s.lines().toString());
        assertEquals(2, o.fullSyncs(), "full syncs: one per agent at start, none after");
        assertTrue(o.maxTracked() < 2 * o.maxRouters() + 100,
                "the queue kept " + o.maxTracked() + " router timestamps for about " + o.maxRouters() + " routers");
        assertEquals(o.before(), o.after(), "green threads or timers left behind by the agents, plugin or transport");
        long growth = o.heapAt60() - o.heapAt10();
        assertTrue(growth < HEAP_GROWTH_LIMIT, "live heap grew by " + growth + " bytes from minute 10 to 60");
    }

    /** The heap in use after full collections: what is still reachable. */
    private static long liveHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}

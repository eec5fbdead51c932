package io.jeventlet.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import io.jeventlet.sample.l3.AgentSettings;
import io.jeventlet.sample.l3.DemoSummary;
import io.jeventlet.sample.l3.InProcessDemo;
import org.junit.jupiter.api.Test;

/**
 * The sample agent and its plugin simulator under steady churn for an hour of
 * hub time, on a virtual clock (seconds of wall time): every module of the
 * stack below the agent — hub, timers, pool, queues, events, looping calls —
 * runs tens of thousands of times, and the run must end with the invariants
 * held and nothing left behind.
 */
class L3AgentSoakTest {
    /** Bytes the live heap may grow between minute 10 and minute 60 (a leak of 100 B per change would exceed it). */
    private static final long HEAP_GROWTH_LIMIT = 4L << 20;

    private record Outcome(DemoSummary summary, HubCensus before, HubCensus after, long heapAt10, long heapAt60) {
    }

    /**
     * An hour at 20 changes/s (about 72,000 changes and 120 full resyncs)
     * keeps every invariant, drains, ends in sync, and leaves no green thread
     * or timer behind and no growth of the live heap.
     */
    @Test
    @org.junit.jupiter.api.Timeout(180)
    void anHourOfChurnKeepsTheInvariantsAndLeaksNothing() throws Exception {
        Outcome o = VirtualHubs.run(() -> {
            HubCensus before = HubCensus.now();
            InProcessDemo demo = new InProcessDemo(new AgentSettings("soak", 8, 2, 30, 0.05), 200, 20, 5);
            demo.start();
            Eventlet.sleep(600);
            long heapAt10 = liveHeap();
            Eventlet.sleep(3000);
            long heapAt60 = liveHeap();
            DemoSummary summary = demo.stop(120);
            return new Outcome(summary, before, HubCensus.now(), heapAt10, heapAt60);
        });
        DemoSummary s = o.summary();
        assertTrue(s.ok(), "invariants broken: " + s.lines());
        assertTrue(s.drained() && s.inSync(), s.lines().toString());
        assertTrue(s.changes() >= 70_000, "only " + s.changes() + " changes in an hour at 20/s");
        assertTrue(s.resyncs() >= 115, "only " + s.resyncs() + " resyncs in an hour at one per 30 s");
        assertEquals(8, s.agent().maxConcurrentWorkers(), "the pool should have been saturated at times");
        assertEquals(o.before(), o.after(), "green threads or timers left behind by the agent, plugin or transport");
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

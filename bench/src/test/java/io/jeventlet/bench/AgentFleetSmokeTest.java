package io.jeventlet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent fleet runner on a small fleet, so that it keeps working (figures come from bin/bench-agents). */
class AgentFleetSmokeTest {

    /** 300 routers of 10 ms over 2 agent processes are all applied and the run ends with status 0. */
    @Test
    @Timeout(120)
    void smallFleetRuns() throws Exception {
        System.setProperty("fleet.dir", "target");
        assertEquals(0, AgentFleetBench.run(300, 2, 0.01));
    }
}

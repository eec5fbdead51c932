package io.jeventlet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every multi-hub workload runs on every runtime, on 1 and 2 lanes at once, to the end at a tiny size (no timing is checked). */
class MultiHubSmokeTest {
    @Test
    @Timeout(60)
    void everyWorkloadAndRuntimeCompletesOnTwoLanes() throws Exception {
        for (var w : MultiHub.WORKLOADS.entrySet()) {
            for (MultiHub.Runtime rt : MultiHub.RUNTIMES.get(w.getKey())) {
                MultiHub.Run one = MultiHub.runLanes(w.getValue(), rt, 1, 0.01);
                MultiHub.Run two = MultiHub.runLanes(w.getValue(), rt, 2, 0.01);
                assertTrue(one.ops() > 0 && one.wallMs() > 0, w.getKey() + " on " + rt);
                assertEquals(2 * one.ops(), two.ops(), w.getKey() + " on " + rt + ": each lane does one lane's work");
            }
        }
    }
}

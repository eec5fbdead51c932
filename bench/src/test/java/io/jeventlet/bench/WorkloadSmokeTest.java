package io.jeventlet.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every wall-clock workload runs to the end at a tiny size and yields a positive figure (no timing is checked). */
class WorkloadSmokeTest {
    /** Each workload, jeventlet and JDK peer, completes on 100-odd threads well within the time limit. */
    @Test
    @Timeout(30)
    void everyWorkloadCompletesAtATinySize() throws Exception {
        assertTrue(SleepTimers.jeventletMs(200) > 0);
        assertTrue(SleepTimers.jdkMs(200) > 0);
        assertTrue(EventFanout.jeventletMs(100) > 0);
        assertTrue(EventFanout.jdkMs(100) > 0);
        assertTrue(QueueThroughput.jeventletPerSec(5000) > 0);
        assertTrue(QueueThroughput.jdkPerSec(5000) > 0);
        assertTrue(PoolThroughput.jeventletPerSec(5000) > 0);
        assertTrue(PoolThroughput.jdkPerSec(5000) > 0);
        assertTrue(ServiceWorkers.jeventletMs(2, 0.001) > 0);
        assertTrue(ServiceWorkers.platformMs(2, 0.001) > 0);
    }
}

package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The test helper itself: a run that outlasts its real-time limit says what its hub was doing. */
class VirtualHubsTest {
    @Test
    void aRunPastItsRealTimeLimitFailsWithTheHubsDump() {
        AssertionError e = assertThrows(AssertionError.class, () -> VirtualHubs.on(0.2, VirtualHubsTest::spinForRealTime));
        assertTrue(e.getMessage().contains("more than 0.2 s of real time"), e.getMessage());
        assertTrue(e.getMessage().contains("spinForRealTime"), "no stack of the green thread:\n" + e.getMessage());
    }

    /** Holds the hub for a second of real time without yielding (no virtual time passes). */
    private static void spinForRealTime() {
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}

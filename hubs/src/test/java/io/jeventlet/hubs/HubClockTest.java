package io.jeventlet.hubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HubClockTest {
    /** The real clock is monotonic. */
    @Test
    void realClockIsMonotonic() {
        HubClock c = HubClock.real();
        double prev = c.now();
        for (int i = 0; i < 10_000; i++) {
            double now = c.now();
            assertTrue(now >= prev);
            prev = now;
        }
    }

    /** A virtual clock starts at 0 and only moves forward. */
    @Test
    void virtualClockOnlyMovesForward() {
        VirtualClock c = (VirtualClock) HubClock.virtual();
        assertEquals(0.0, c.now());
        c.advanceTo(5);
        c.advanceTo(3);
        assertEquals(5.0, c.now());
    }

    /** Negative and NaN times are rejected with the argument's name; infinity is no limit. */
    @Test
    void timeRuleRejectsNegativeAndNaN() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seconds.check("delay", -1));
        assertTrue(e.getMessage().contains("delay = -1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Seconds.check("delay", Double.NaN));
        assertEquals(Double.POSITIVE_INFINITY, Seconds.check("delay", Double.POSITIVE_INFINITY));
    }

    /** A hub made withClock is unbound: confined calls fail until a thread runs it. */
    @Test
    void unboundHubRejectsConfinedCalls() {
        Hub hub = Hub.withClock(HubClock.virtual());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> hub.scheduleCallGlobal(1, () -> { }));
        assertTrue(e.getMessage().contains("callThreadsafe"), e.getMessage());
    }
}

package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Timer;
import org.junit.jupiter.api.Test;

/** {@link EmptyHubCheck} and {@link VirtualHubs} fail a test that leaves a green thread or a timer on its hub. */
class EmptyHubCheckTest {
    /** A green thread left sleeping on the test thread's hub fails the check, with the hub's dump. */
    @Test
    void leftoverGreenThreadFailsTheCheck() {
        GreenThread<Void> sleeper = Eventlet.spawn(() -> Eventlet.sleep(3600));
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> EmptyHubCheck.assertEmpty(Hub.get(), 0));
            assertTrue(e.getMessage().contains("1 green thread(s), 1 timer(s)"), e.getMessage());
        } finally {
            sleeper.kill();
        }
    }

    /** A pending timer alone fails the check; cancelled, it no longer counts. */
    @Test
    void leftoverTimerFailsTheCheck() {
        Timer t = Hub.get().scheduleCallGlobal(3600, () -> { });
        assertThrows(AssertionError.class, () -> EmptyHubCheck.assertEmpty(Hub.get(), 0));
        t.cancel();
        EmptyHubCheck.assertEmpty(Hub.get(), 0);
    }

    /** A VirtualHubs run whose function leaves a green thread behind fails, naming what was left. */
    @Test
    void virtualHubsRunFailsOnALeftover() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> VirtualHubs.on(() -> Eventlet.spawn(() -> Eventlet.sleep(3600))));
        assertTrue(e.getMessage().contains("1 green thread(s)"), e.getMessage());
    }
}

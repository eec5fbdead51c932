package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.VirtualHubs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plugin simulator's rate of changes, on a virtual-clock hub so counts are exact. */
class PluginSimulatorTest {

    /** Notifications go nowhere: these tests count the simulator's own changes. */
    private static final AgentNotifications NOWHERE = new AgentNotifications() {
        @Override
        public void routersUpdated(List<String> ids) {}

        @Override
        public void routerDeleted(String id) {}
    };

    /**
     * setUpdateRate takes effect at once: 0 pauses the changes, and a higher
     * rate does not wait out the interval of the old one; after stopUpdates
     * it changes nothing.
     */
    @Test
    void setUpdateRateTakesEffectAtOnce() throws Exception {
        VirtualHubs.run(() -> {
            PluginSimulator p = new PluginSimulator(5, 10, 1);
            p.connect(NOWHERE);
            p.start();
            Eventlet.sleep(1.05);
            assertEquals(10, p.changes(), "changes in 1.05 s at 10/s");
            p.setUpdateRate(0);
            Eventlet.sleep(100);
            assertEquals(10, p.changes(), "changes while paused");
            p.setUpdateRate(0.001);
            Eventlet.sleep(1);
            p.setUpdateRate(100);
            Eventlet.sleep(0.505);
            assertEquals(60, p.changes(), "changes 0.505 s after going from a 1000 s interval to 100/s");
            assertEquals(100, p.updateRate());
            p.stopUpdates();
            p.setUpdateRate(50);
            Eventlet.sleep(1);
            assertEquals(60, p.changes(), "changes after stopUpdates");
            return null;
        });
    }

    /** A negative or infinite rate is rejected by name and the rate stays as it was. */
    @Test
    void badRateIsRejected() {
        PluginSimulator p = new PluginSimulator(0, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.setUpdateRate(-1));
        assertTrue(e.getMessage().contains("updateRate = -1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.setUpdateRate(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new PluginSimulator(0, Double.NaN, 1));
        assertEquals(3, p.updateRate());
    }
}

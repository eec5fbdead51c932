package io.jeventlet;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runtime problem found while testing GreenPool on a virtual-clock hub,
 * kept as a failing case for the hubs module: killing a green thread that is
 * queued to run (not started yet, or woken and not yet resumed) makes
 * {@code Greenlet.nudge} call {@code Hub.afterTurn}, which schedules a timer
 * at {@code clock.now()}; that timer's {@code nudgeIfPending} finds the throw
 * still pending (the target cannot run while timers fire) and schedules
 * another at the same instant. On a virtual clock time does not move inside
 * {@code Hub.fireTimers}, whose loop keeps firing timers due at {@code now},
 * so the hub spins there forever (and {@code abort()} cannot stop it).
 */
@Timeout(60)
class GreenPoolKillQueuedTest {
    /** Killing a queued, not yet started green thread on a virtual-clock hub lets the hub go on. */
    @Test
    @Disabled("hubs: Hub.fireTimers livelocks on afterTurn timers under a virtual clock (see class javadoc)")
    void killingQueuedGreenThreadOnVirtualHubDoesNotLivelock() throws Exception {
        VirtualHubs.run(() -> {
            GreenThread<Void> gt = Eventlet.spawn(() -> { });
            gt.kill();
            Eventlet.sleep(0);
            return null;
        });
    }

    /** The same through a pool: a killed, not yet started pool task frees its slot on a virtual-clock hub. */
    @Test
    @Disabled("hubs: Hub.fireTimers livelocks on afterTurn timers under a virtual clock (see class javadoc)")
    void killedQueuedPoolTaskOnVirtualHubFreesItsSlot() throws Exception {
        VirtualHubs.run(() -> {
            GreenPool pool = new GreenPool(1);
            GreenThread<Object> gt = pool.spawn(() -> "never");
            gt.kill();
            pool.spawn(() -> "next").await();
            return null;
        });
    }
}

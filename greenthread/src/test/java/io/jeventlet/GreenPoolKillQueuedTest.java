package io.jeventlet;

import org.junit.jupiter.api.Test;

/**
 * Regression cases for a hub livelock found while testing GreenPool on a
 * virtual-clock hub: killing a green thread that was queued to run (not
 * started yet, or woken and not yet resumed) re-armed a "nudge" timer due at
 * the same virtual instant, forever, so the hub never left its timer loop.
 */
class GreenPoolKillQueuedTest {
    /** Killing a queued, not yet started green thread on a virtual-clock hub lets the hub go on. */
    @Test
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

package io.jeventlet.hubs;

import java.util.concurrent.locks.LockSupport;

/**
 * How a hub's carrier sleeps when it has nothing to run, and how other
 * threads wake it. Thread rule: {@link #sleep} only on the carrier;
 * {@link #wake()} from any thread.
 *
 * <p>Lifecycle of {@code state} (written only by the carrier):
 * <pre>
 * AWAKE -> PARKED      // sleep(): no listener, so LockSupport.park(Nanos) follows
 * AWAKE -> SELECTING   // sleep(): a listener, so Selector.select(timeout) follows
 * PARKED -> AWAKE      // park returned: unpark, deadline, interrupt, or spuriously
 * SELECTING -> AWAKE   // select returned: I/O, deadline, or Selector.wakeup()
 * </pre>
 * A waker reads {@code state}: PARKED, it unparks the carrier; SELECTING, it
 * calls {@code wakeup()} on the selector; AWAKE, it does nothing, since the
 * carrier will look at the work before it sleeps again.
 *
 * <p>Why a wake-up cannot be lost: a waker first publishes its reason to wake
 * (an inbox entry, {@code aborted}, a main greenlet's {@code woken}: a
 * concurrent queue or volatile fields), then reads {@code state}. The carrier
 * first writes {@code state}, then re-checks those reasons ({@code
 * Hub.hasOutsideWork()}), and only then parks or selects. Each side writes
 * one volatile and then reads the other's, so at least one sees the other:
 * either the carrier's re-check finds the work and it does not sleep, or the
 * waker sees PARKED or SELECTING and wakes it. An unpark or a
 * {@code wakeup()} that lands before the park or select begins is not lost
 * either: both make the next park or select return at once.
 */
final class CarrierSleep {
    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final int SELECTING = 2;

    private final Hub hub;
    private final Listeners listeners;
    private volatile int state = AWAKE;
    /** An interrupt of the carrier that arrived while it slept: the user's, given back after the wait. */
    private boolean carrierInterrupted;

    CarrierSleep(Hub hub, Listeners listeners) {
        this.hub = hub;
        this.listeners = listeners;
    }

    /** Wakes the carrier if it sleeps; call after publishing the reason. Thread-safe. */
    void wake() {
        int s = state;
        if (s == SELECTING) {
            listeners.wakeup();
        } else if (s == PARKED) {
            Thread o = hub.owner();
            if (o != null) {
                LockSupport.unpark(o);
            }
        }
    }

    /** Sleeps until woken, an I/O event, or {@code nanos} (negative: no limit). Carrier only. */
    void sleep(long nanos) {
        boolean io = listeners.count() > 0;
        // An interrupt of the carrier belongs to the user's code: keep it for
        // after the wait, but park with the flag clear, or every park would
        // return at once (a spin). Re-setting it here would spin too: an
        // interrupt also makes the next park return.
        if (Thread.interrupted()) {
            carrierInterrupted = true;
        }
        state = io ? SELECTING : PARKED;
        try {
            if (hub.hasOutsideWork()) {
                return;
            }
            if (io) {
                listeners.poll(nanos < 0 ? -1 : Math.max(1, (nanos + 999_999) / 1_000_000));
            } else if (nanos < 0) {
                LockSupport.park(hub);
            } else {
                LockSupport.parkNanos(hub, nanos);
            }
        } finally {
            state = AWAKE;
        }
    }

    /** Gives the carrier back an interrupt that arrived while the loop slept. Carrier only. */
    void restoreInterrupt() {
        if (carrierInterrupted) {
            carrierInterrupted = false;
            Thread.currentThread().interrupt();
        }
    }
}

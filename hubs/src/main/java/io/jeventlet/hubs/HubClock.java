package io.jeventlet.hubs;

/**
 * The time source of a hub, in seconds. Every sleep, timeout and interval of
 * the runtime is measured on the clock of the hub it runs in, so a test that
 * gives a hub {@link #virtual()} time runs hours of timers in milliseconds.
 *
 * <p>Implementations are monotonic: {@link #now()} never goes back.
 */
public interface HubClock {
    /** The current time in seconds, on an arbitrary but fixed origin. */
    double now();

    /** Monotonic wall time, from {@link System#nanoTime()}. */
    static HubClock real() {
        return RealClock.INSTANCE;
    }

    /**
     * A new virtual clock starting at 0. A hub with this clock never sleeps
     * for a timer: when nothing is runnable it jumps straight to the next
     * timer's deadline.
     */
    static HubClock virtual() {
        return new VirtualClock();
    }
}

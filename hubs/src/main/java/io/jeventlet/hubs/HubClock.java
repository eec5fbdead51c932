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

    /**
     * True for virtual time: the hub never sleeps for a timer, it calls
     * {@link #advanceTo} with the next timer's deadline instead. False
     * (the default) for time that moves by itself.
     */
    default boolean isVirtual() {
        return false;
    }

    /**
     * Moves virtual time forward to {@code deadline} (never backwards). Only
     * the hub that owns the clock calls it, on its carrier, when nothing is
     * runnable: time moves when the hub has nothing else to do, never under a
     * running green thread. A real clock ignores it.
     */
    default void advanceTo(double deadline) {
    }

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

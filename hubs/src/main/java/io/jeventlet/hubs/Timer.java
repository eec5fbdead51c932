package io.jeventlet.hubs;

/**
 * A callback scheduled on a hub ({@link Hub#scheduleCallGlobal}). Hub-confined:
 * use it only from green threads and callbacks of the hub that made it.
 *
 * <p>States: {@code pending -> called} when it fires; {@code pending ->
 * cancelled} by {@link #cancel()}. A timer fires at most once.
 */
public interface Timer {
    /** Stops the timer if it has not fired; idempotent. */
    void cancel();

    /** True while it will still fire: neither called nor cancelled. */
    boolean pending();

    /** True once its callback has been run (even if the callback failed). */
    boolean called();

    /** The delay it was scheduled with, in seconds. */
    double seconds();
}

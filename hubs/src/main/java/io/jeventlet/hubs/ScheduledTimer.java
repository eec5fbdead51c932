package io.jeventlet.hubs;

/**
 * A hub's timer entry. Hub-confined. Ordered by (deadline, sequence), so equal
 * deadlines fire in scheduling order.
 *
 * <pre>
 * PENDING -> CALLED     // the hub fired it
 * PENDING -> CANCELLED  // cancel(), or its owner greenlet died (scheduleCallLocal)
 * </pre>
 */
final class ScheduledTimer implements Timer {
    private static final byte PENDING = 0;
    private static final byte CALLED = 1;
    private static final byte CANCELLED = 2;

    final Hub hub;
    final double deadline;
    final long seq;
    final double seconds;
    final Runnable callback;
    /** The greenlet whose death cancels this timer, or null for a global timer. */
    final Greenlet owner;
    private byte state = PENDING;

    ScheduledTimer(Hub hub, double deadline, long seq, double seconds, Runnable callback, Greenlet owner) {
        this.hub = hub;
        this.deadline = deadline;
        this.seq = seq;
        this.seconds = seconds;
        this.callback = callback;
        this.owner = owner;
    }

    @Override
    public void cancel() {
        if (state == PENDING) {
            state = CANCELLED;
            hub.timers.onCancelled();
        }
    }

    @Override
    public boolean pending() {
        return state == PENDING;
    }

    @Override
    public boolean called() {
        return state == CALLED;
    }

    @Override
    public double seconds() {
        return seconds;
    }

    boolean cancelled() {
        return state == CANCELLED;
    }

    /** Marks it fired; the heap has already removed it. */
    void markCalled() {
        state = CALLED;
    }

    /** Marks it cancelled when the heap drops it without firing (owner dead). */
    void markDropped() {
        state = CANCELLED;
    }

    @Override
    public String toString() {
        return "Timer[" + seconds + "s, " + (state == PENDING ? "pending" : state == CALLED ? "called" : "cancelled")
                + ", " + callback + "]";
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Seconds;

/**
 * eventlet's {@code CappedSemaphore}: a semaphore bounded in both directions.
 * {@link #acquire()} waits while the count is 0; {@link #release()} waits while
 * the count is at {@code limit} — it blocks, it neither raises the count
 * above the limit nor fails as {@link BoundedSemaphore} does (eventlet's
 * semantics; {@link #release(boolean) release(false)} returns false
 * instead of waiting).
 *
 * <pre>{@code
 * CappedSemaphore tokens = new CappedSemaphore(0, 10);   // starts empty, holds at most 10
 * Eventlet.spawnN(() -> {
 *     for (int i = 0; i < 100; i++) {
 *         tokens.release();                              // waits while 10 are unused
 *         Eventlet.sleep(0.1);
 *     }
 * });
 * tokens.acquire();                                      // waits for a token
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, as {@link Semaphore}.
 *
 * <p>Overview: as in eventlet, two semaphores: {@code lower} counts the
 * permits that may be acquired ({@code count}), {@code upper} those that may
 * be released ({@code limit - count}). An acquire releases {@code upper}
 * and then acquires {@code lower}; a release does the mirror image. If the
 * second step fails (timeout, kill) the first is undone with
 * {@link Semaphore#debit()}, which may leave that counter below zero until
 * later releases pay it back — eventlet's {@code counter -= 1}. Both halves
 * serve their waiters FIFO and pass on a permit a dying waiter was handed.
 */
public class CappedSemaphore {
    private final Semaphore lower;
    private final Semaphore upper;

    /**
     * A semaphore holding {@code count} of at most {@code limit} permits;
     * {@code count < 0} or {@code count > limit} is an {@link IllegalArgumentException}.
     */
    public CappedSemaphore(int count, int limit) {
        if (count < 0) {
            throw new IllegalArgumentException("CappedSemaphore count = " + count + " is not valid: must be >= 0");
        }
        if (count > limit) {
            throw new IllegalArgumentException("CappedSemaphore count = " + count
                    + " is not valid: must be <= limit (" + limit + ")");
        }
        this.lower = new Semaphore(count);
        this.upper = new Semaphore(limit - count);
    }

    /** Takes a permit, waiting while the count is 0; returns true. */
    public boolean acquire() {
        return acquire(true, Double.POSITIVE_INFINITY);
    }

    /**
     * Takes a permit. Without {@code blocking}, returns false at once if the
     * count is 0; with it, waits at most {@code timeoutSeconds} and returns
     * false if that passes first.
     */
    public boolean acquire(boolean blocking, double timeoutSeconds) {
        Seconds.check("timeoutSeconds", timeoutSeconds);
        if (!blocking && locked()) {
            return false;
        }
        upper.release();
        boolean ok = false;
        try {
            ok = lower.acquire(blocking, timeoutSeconds);
            return ok;
        } finally {
            if (!ok) {
                upper.debit();
            }
        }
    }

    /** Gives a permit back, waiting while the count is at its limit. */
    public void release() {
        release(true);
    }

    /**
     * Gives a permit back; with {@code blocking} it waits while the count is at
     * its limit and returns true, without it returns false at once in that case.
     */
    public boolean release(boolean blocking) {
        if (!blocking && bounded()) {
            return false;
        }
        lower.release();
        boolean ok = false;
        try {
            ok = upper.acquire(blocking, Double.POSITIVE_INFINITY);
            return ok;
        } finally {
            if (!ok) {
                lower.debit();
            }
        }
    }

    /** True if an acquire would block (the count is 0). */
    public boolean locked() {
        return lower.locked();
    }

    /** True if a release would block (the count is at its limit). */
    public boolean bounded() {
        return upper.locked();
    }

    /**
     * How many acquires (positive) or releases (negative) would bring the
     * count to 0, counting the green threads blocked in acquire and release.
     */
    public int balance() {
        return lower.balance() - upper.balance();
    }

    @Override
    public String toString() {
        return "CappedSemaphore[balance=" + balance() + ", lower=" + lower + ", upper=" + upper + "]";
    }
}

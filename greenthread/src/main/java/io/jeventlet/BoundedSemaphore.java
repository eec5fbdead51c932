package io.jeventlet;

/**
 * eventlet's {@code BoundedSemaphore}: a {@link Semaphore} whose counter may
 * never exceed its initial value. Releasing more than was acquired is a bug
 * in the caller, so it throws {@link IllegalStateException} (eventlet's
 * ValueError) instead of silently raising the limit.
 *
 * <pre>{@code
 * BoundedSemaphore lock = new BoundedSemaphore(1);
 * lock.acquire();
 * try {
 *     update();
 * } finally {
 *     lock.release();
 * }
 * lock.release();                                     // one release too many: IllegalStateException
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, as {@link Semaphore}.
 */
public class BoundedSemaphore extends Semaphore {
    private final int initial;

    /** A bounded semaphore of {@code value} permits; negative is an {@link IllegalArgumentException}. */
    public BoundedSemaphore(int value) {
        super(value);
        this.initial = value;
    }

    /** Gives a permit back; throws {@link IllegalStateException} if all {@code value} permits are free already. */
    @Override
    public void release() {
        if (counter() >= initial) {
            throw new IllegalStateException("BoundedSemaphore released too many times: counter = " + counter()
                    + " is already its initial value " + initial);
        }
        super.release();
    }
}

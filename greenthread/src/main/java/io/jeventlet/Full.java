package io.jeventlet;

/**
 * Thrown when a {@code put} found no free slot (non-blocking, or
 * its timeout passed): eventlet's (and Python's {@code queue})
 * {@code Full}. An ordinary unchecked exception; unlike {@link Timeout}, user
 * code may catch it.
 *
 * <pre>{@code
 * try {
 *     queue.putNowait(update);
 * } catch (Full e) {
 *     dropped++;                                      // the bounded queue had no room
 * }
 * }</pre>
 */
public class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Full() {
        super();
    }

    public Full(String message) {
        super(message);
    }
}

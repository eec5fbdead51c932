package io.jeventlet;

/**
 * Thrown when a {@code get} found no item (non-blocking, or its
 * timeout passed): eventlet's (and Python's {@code queue})
 * {@code Empty}. An ordinary unchecked exception; unlike {@link Timeout}, user
 * code may catch it.
 *
 * <pre>{@code
 * try {
 *     String next = queue.get(true, 0.5);
 * } catch (Empty e) {
 *     // nothing arrived within 0.5 s
 * }
 * }</pre>
 */
public class Empty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Empty() {
        super();
    }

    public Empty(String message) {
        super(message);
    }
}

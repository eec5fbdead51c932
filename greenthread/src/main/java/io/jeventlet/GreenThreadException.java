package io.jeventlet;

/**
 * Carries a checked exception thrown by a green function (or sent to an
 * {@link Event}) to the code that awaits it; {@link #getCause()} is the
 * original. Unchecked exceptions and errors are never wrapped: they are
 * rethrown as the same instance.
 *
 * <pre>{@code
 * GreenThread<String> gt = Eventlet.spawn(() -> readConfig());   // may throw IOException
 * try {
 *     gt.await();
 * } catch (GreenThreadException e) {
 *     IOException cause = (IOException) e.getCause();
 * }
 * }</pre>
 */
public class GreenThreadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GreenThreadException(Throwable cause) {
        super(cause);
    }

    /** The rethrow rule of {@code await()}: unchecked as is, checked wrapped. Never returns. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new GreenThreadException(t);
    }
}

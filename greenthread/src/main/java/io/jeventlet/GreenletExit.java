package io.jeventlet;

/**
 * Raised in a green thread to kill it ({@link GreenThread#kill()}). An
 * {@link Error}, like Python's {@code BaseException}, so that
 * {@code catch (Exception e)} in user code cannot swallow a kill; the
 * {@code finally} blocks of the killed green thread still run.
 *
 * <pre>{@code
 * GreenThread<Void> worker = Eventlet.spawn(() -> {
 *     try {
 *         serve();
 *     } finally {
 *         cleanUp();                                  // runs when it is killed, too
 *     }
 * });
 * worker.kill();                                      // GreenletExit in worker
 * worker.await();                                     // throws that GreenletExit
 * }</pre>
 */
public class GreenletExit extends Error {
    private static final long serialVersionUID = 1L;

    public GreenletExit() {
        super("green thread killed");
    }

    public GreenletExit(String message) {
        super(message);
    }
}

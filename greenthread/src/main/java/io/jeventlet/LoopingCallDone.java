package io.jeventlet;

/**
 * Thrown by the task of a looping call to end the loop normally, as
 * {@code StopIteration} ends an iteration (oslo.service's
 * {@code LoopingCallDone}): its {@link #value()} becomes the loop's result,
 * returned by the looping call's {@code await()} and sent to its done event.
 *
 * <pre>{@code
 * FixedIntervalLoopingCall poll = new FixedIntervalLoopingCall(() -> {
 *     if (converged()) {
 *         throw new LoopingCallDone("converged");
 *     }
 * });
 * poll.start(1);
 * Object result = poll.await();                       // "converged"
 * }</pre>
 *
 * <p>Thread rule: immutable, so thread-safe. It is control flow, not a
 * failure: it carries no stack trace and is never logged.
 */
public class LoopingCallDone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object value;

    /** Ends the loop with the result {@code Boolean.TRUE} (oslo's default). */
    public LoopingCallDone() {
        this(Boolean.TRUE);
    }

    /** Ends the loop with the result {@code value} (may be null). */
    public LoopingCallDone(Object value) {
        super(null, null, false, false);
        this.value = value;
    }

    /** The loop's result. */
    public Object value() {
        return value;
    }

    @Override
    public String getMessage() {
        return "looping call done with result " + value;
    }
}

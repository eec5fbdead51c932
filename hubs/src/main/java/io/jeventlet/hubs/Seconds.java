package io.jeventlet.hubs;

/**
 * The one rule for every time argument of the runtime, which is a
 * {@code double} of seconds: a finite value >= 0 is a limit,
 * {@code Double.POSITIVE_INFINITY} is none, and a negative or NaN time is an
 * {@link IllegalArgumentException} naming the argument — never a hang.
 * Thread-safe (stateless).
 *
 * <pre>{@code
 * public boolean acquire(boolean blocking, double timeoutSeconds) {
 *     Seconds.check("timeoutSeconds", timeoutSeconds);
 *     double deadline = Seconds.deadline(hub, timeoutSeconds);   // on the hub's clock
 *     ...
 * }
 * }</pre>
 */
public final class Seconds {
    private Seconds() {}

    /** Checks {@code seconds} by the rule above and returns it. */
    public static double check(String name, double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) {
            throw new IllegalArgumentException(name + " = " + seconds
                    + " is not valid: must be >= 0 seconds (or Double.POSITIVE_INFINITY for no limit)");
        }
        return seconds;
    }

    /** The hub-clock deadline {@code seconds} from now on {@code hub}; infinite stays infinite. */
    public static double deadline(Hub hub, double seconds) {
        check("timeoutSeconds", seconds);
        return seconds == Double.POSITIVE_INFINITY ? seconds : hub.clock() + seconds;
    }
}

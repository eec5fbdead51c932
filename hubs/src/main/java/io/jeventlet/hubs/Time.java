package io.jeventlet.hubs;

/**
 * The one rule for every time argument of the runtime: a finite value >= 0
 * is a limit, {@code Double.POSITIVE_INFINITY} is none, and a negative or NaN
 * time is an {@link IllegalArgumentException} naming the argument — never a
 * hang. Thread-safe (stateless).
 */
public final class Time {
    private Time() {}

    /** Checks {@code seconds} by the rule above and returns it. */
    public static double checkSeconds(String name, double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) {
            throw new IllegalArgumentException(name + " = " + seconds
                    + " is not valid: must be >= 0 seconds (or Double.POSITIVE_INFINITY for no limit)");
        }
        return seconds;
    }

    /** The hub-clock deadline {@code seconds} from now on {@code hub}; infinite stays infinite. */
    public static double deadline(Hub hub, double seconds) {
        checkSeconds("timeoutSeconds", seconds);
        return seconds == Double.POSITIVE_INFINITY ? seconds : hub.clock() + seconds;
    }
}

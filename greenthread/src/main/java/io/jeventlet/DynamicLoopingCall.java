package io.jeventlet;

import io.jeventlet.hubs.Seconds;
import java.util.concurrent.Callable;

/**
 * oslo.service's DynamicLoopingCall: a looping call whose task says, by
 * returning it, how many seconds to idle before its next run (for example
 * until the next known event).
 *
 * <pre>{@code
 * DynamicLoopingCall sync = new DynamicLoopingCall(() -> {
 *     resync();
 *     return secondsUntilNextChange();                // idle this long before the next run
 * });
 * sync.start(0, 60, false);                           // never idle over 60 s; a failure is logged
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, except {@link #stop()} (thread-safe).
 *
 * <p>Guarantees: a returned delay above {@code periodicIntervalMaxSeconds} is
 * capped to it; a null return idles for that maximum (an error when there
 * is none); a negative or NaN return ends the loop with an
 * {@link IllegalArgumentException}. As in oslo, with
 * {@code stopOnException = false} a failed run counts as returning 0: the
 * task runs again at once (after a yield). See {@link LoopingCallBase} for
 * the lifecycle, stop and result rules.
 */
public class DynamicLoopingCall extends LoopingCallBase {
    /** A looping call of {@code task}; its {@code toString()} names it in log lines. */
    public DynamicLoopingCall(Callable<Double> task) {
        super("Dynamic interval looping call", task, task);
    }

    /**
     * Starts the loop and returns its done event at once: the task first runs
     * after {@code initialDelaySeconds}; after each run the loop idles for
     * the seconds it returned, at most {@code periodicIntervalMaxSeconds}
     * ({@code Double.POSITIVE_INFINITY}: no cap). A second start while the
     * loop runs: {@link IllegalStateException}.
     */
    public Event<Object> start(double initialDelaySeconds, double periodicIntervalMaxSeconds, boolean stopOnException) {
        Seconds.check("periodicIntervalMaxSeconds", periodicIntervalMaxSeconds);
        return start(initialDelaySeconds, stopOnException, (result, elapsed) -> idleFor(result, periodicIntervalMaxSeconds));
    }

    private double idleFor(Object suggested, double max) {
        if (suggested == null) {
            if (max == Double.POSITIVE_INFINITY) {
                throw new IllegalStateException("A dynamic interval looping call should supply either an interval"
                        + " or periodicIntervalMaxSeconds: " + name + " returned null and there is no maximum");
            }
            return max;
        }
        double delay = ((Number) suggested).doubleValue();
        if (Double.isNaN(delay) || delay < 0) {
            throw new IllegalArgumentException("delay returned by " + name + " = " + delay
                    + " is not valid: must be >= 0 seconds (or Double.POSITIVE_INFINITY)");
        }
        return Math.min(delay, max);
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Seconds;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;

/**
 * oslo.service's BackOffLoopingCall: a looping call whose task reports
 * whether its run succeeded. After a success the loop idles about the
 * starting interval; after each failure it backs off exponentially, with
 * random jitter, until the failures have idled longer than a timeout, which
 * ends the loop with {@link LoopingCallTimeOut}.
 *
 * <pre>{@code
 * BackOffLoopingCall ping = new BackOffLoopingCall(() -> plugin.ping());   // true: it worked
 * ping.start(0, 1, 300, 300, 0.75, 0.001);            // backs off from 1 s to 300 s while it fails
 * ...
 * ping.stop();
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, except {@link #stop()} (thread-safe).
 *
 * <p>Overview (oslo's arithmetic): each idle draws {@code j = |N(jitter, 0.1)|}.
 * Success ({@code true}): the interval resets to the starting one, the
 * failure time to 0, and the loop idles {@code startingInterval * j}.
 * Failure ({@code false}, or null as Python's falsy None): the loop idles
 * {@code clamp(interval * 2 * j, minInterval, maxInterval)} and the interval
 * grows to {@code max(interval * 2 * jitter, minInterval)} (the mean, so the
 * growth rate does not depend on the draws); if the failure time plus this
 * idle would exceed the timeout the loop ends instead. One difference from
 * oslo, from this API's one rule for time arguments: no timeout is
 * {@code Double.POSITIVE_INFINITY}, where oslo uses 0. As in oslo, an
 * exception of the task always ends the loop. See {@link LoopingCallBase}
 * for the lifecycle, stop and result rules.
 */
public class BackOffLoopingCall extends LoopingCallBase {
    private final RandomGenerator random;
    /** The mean of the next back-off idle's base; reset on success (loop state, per start). */
    private double interval;
    /** Seconds idled since the last success. */
    private double errorTime;

    /** Ends a back-off loop whose failures idled past the timeout (oslo's {@code LoopingCallTimeOut}). */
    public static class LoopingCallTimeOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LoopingCallTimeOut(String message) {
            super(message);
        }
    }

    /** A back-off looping call of {@code task} with a randomly seeded jitter source. */
    public BackOffLoopingCall(Callable<Boolean> task) {
        this(task, RandomGenerator.getDefault());
    }

    /** As {@link #BackOffLoopingCall(Callable)}, drawing jitter from {@code random} (a seeded one makes it repeatable). */
    public BackOffLoopingCall(Callable<Boolean> task, RandomGenerator random) {
        super("Dynamic backoff interval looping call", task, task);
        if (random == null) {
            throw new NullPointerException("random");
        }
        this.random = random;
    }

    /**
     * Starts the loop and returns its done event at once; the task first runs
     * after {@code initialDelaySeconds}. Times are seconds on the hub's clock;
     * {@code jitter} is the mean factor applied to each idle (finite, >= 0).
     * A second start while the loop runs: {@link IllegalStateException}.
     */
    public Event<Object> start(double initialDelaySeconds, double startingIntervalSeconds, double timeoutSeconds,
            double maxIntervalSeconds, double jitter, double minIntervalSeconds) {
        Seconds.check("startingIntervalSeconds", startingIntervalSeconds);
        Seconds.check("timeoutSeconds", timeoutSeconds);
        Seconds.check("maxIntervalSeconds", maxIntervalSeconds);
        Seconds.check("minIntervalSeconds", minIntervalSeconds);
        if (!(jitter >= 0) || Double.isInfinite(jitter)) {
            throw new IllegalArgumentException("jitter = " + jitter + " is not valid: must be a finite number >= 0");
        }
        IdleFor idleFor = (result, elapsed) -> idleFor(Boolean.TRUE.equals(result), startingIntervalSeconds,
                timeoutSeconds, maxIntervalSeconds, jitter, minIntervalSeconds);
        Event<Object> ev = start(initialDelaySeconds, true, idleFor);
        // Reset only once start succeeded: a refused second start must not disturb the running loop.
        interval = startingIntervalSeconds;
        errorTime = 0;
        return ev;
    }

    /** oslo's defaults: no initial delay, starting interval 1, timeout 300, max interval 300, jitter 0.75, min interval 0.001. */
    public Event<Object> start() {
        return start(0, 1, 300, 300, 0.75, 0.001);
    }

    private double idleFor(boolean success, double startingInterval, double timeout, double maxInterval,
            double jitter, double minInterval) {
        double draw = Math.abs(random.nextGaussian(jitter, 0.1));
        if (success) {
            interval = startingInterval;
            errorTime = 0;
            return interval * draw;
        }
        double idle = Math.min(Math.max(interval * 2 * draw, minInterval), maxInterval);
        interval = Math.max(interval * 2 * jitter, minInterval);
        if (errorTime + idle > timeout) {
            throw new LoopingCallTimeOut("Looping call timed out after " + seconds(errorTime + idle) + " seconds");
        }
        errorTime += idle;
        return idle;
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Seconds;
import java.util.concurrent.Callable;

/**
 * oslo.service's FixedIntervalLoopingCall: runs a task every
 * {@code interval} seconds, measured start to start on the hub's clock, in
 * a green thread of its own.
 *
 * <pre>{@code
 * FixedIntervalLoopingCall report = new FixedIntervalLoopingCall(() -> reportState());
 * report.start(30);                                   // every 30 s, start to start
 * ...
 * report.stop();
 * Object result = report.await();                     // Boolean.TRUE
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, except {@link #stop()} (thread-safe).
 *
 * <p>Guarantees: a run that outlasts the interval logs a WARN
 * {@code Function <task> run outlasted interval by <d> sec} and the next run
 * starts at once — late runs are never made up in a burst. See
 * {@link LoopingCallBase} for the lifecycle, stop and result rules.
 */
public class FixedIntervalLoopingCall extends LoopingCallBase {
    /** A looping call of {@code task}; its {@code toString()} names it in log lines. */
    public FixedIntervalLoopingCall(Runnable task) {
        super("Fixed interval looping call", task, asCallable(task));
    }

    private static Callable<Object> asCallable(Runnable task) {
        return task == null ? null : () -> {
            task.run();
            return null;
        };
    }

    /**
     * Starts the loop and returns its done event at once: the task first runs
     * after {@code initialDelaySeconds}, then every {@code intervalSeconds}
     * (start to start). With {@code stopOnException} an exception of the task
     * ends the loop and becomes its outcome; without, it is logged and the
     * loop goes on. A second start while the loop runs:
     * {@link IllegalStateException}.
     */
    public Event<Object> start(double intervalSeconds, double initialDelaySeconds, boolean stopOnException) {
        Seconds.check("intervalSeconds", intervalSeconds);
        return start(initialDelaySeconds, stopOnException, (result, elapsed) -> idleFor(intervalSeconds, elapsed));
    }

    /** {@code start(intervalSeconds, 0, true)}: oslo's defaults. */
    public Event<Object> start(double intervalSeconds) {
        return start(intervalSeconds, 0, true);
    }

    private double idleFor(double interval, double elapsed) {
        // Rounded as oslo does, so clock noise of a few milliseconds is no overrun.
        double overrun = Math.round((elapsed - interval) * 100) / 100.0;
        if (overrun > 0) {
            log.warn("Function {} run outlasted interval by {} sec", name, seconds(overrun));
        }
        return Math.max(0, interval - elapsed);
    }
}

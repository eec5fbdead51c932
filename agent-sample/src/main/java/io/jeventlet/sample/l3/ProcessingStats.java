package io.jeventlet.sample.l3;

import java.util.HashSet;
import java.util.Set;

/**
 * The agent's processing counters and the two invariants it checks as it
 * runs: a router is never processed by two workers at once, and no more
 * than {@code workerLimit} workers (the pool's largest size) process at once.
 *
 * <p>Guarantees: {@link #begin} and {@link #end} bracket the processing of
 * one router by one worker; a {@code begin} for a router already between
 * its own {@code begin} and {@code end} counts a violation, and so does a
 * {@code begin} that takes the number of active workers above the limit.
 * Both counters stay 0 in a correct agent; the tests check them.
 *
 * <p>Thread rule: Hub-confined (the agent's hub).
 */
public final class ProcessingStats {
    private final int workerLimit;
    private final Set<String> active = new HashSet<>();
    private int maxConcurrent;
    private long processed;
    private long failures;
    private long concurrentRouterViolations;
    private long workerLimitViolations;

    /** Counters for an agent that may run at most {@code workerLimit} workers at once. */
    public ProcessingStats(int workerLimit) {
        this.workerLimit = workerLimit;
    }

    /** A worker starts processing {@code routerId}. */
    public void begin(String routerId) {
        if (!active.add(routerId)) {
            concurrentRouterViolations++;
        }
        if (active.size() > workerLimit) {
            workerLimitViolations++;
        }
        maxConcurrent = Math.max(maxConcurrent, active.size());
    }

    /** The worker that began {@code routerId} is done with it; {@code ok} false if it threw. */
    public void end(String routerId, boolean ok) {
        active.remove(routerId);
        if (ok) {
            processed++;
        } else {
            failures++;
        }
    }

    /** Workers processing a router now. */
    public int active() {
        return active.size();
    }

    /** The most workers ever processing at once. */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Updates processed without an exception. */
    public long processed() {
        return processed;
    }

    /** Updates whose processing threw. */
    public long failures() {
        return failures;
    }

    /** Times a router was begun while already being processed (must be 0). */
    public long concurrentRouterViolations() {
        return concurrentRouterViolations;
    }

    /** Times more than the worker limit were processing at once (must be 0). */
    public long workerLimitViolations() {
        return workerLimitViolations;
    }

    /** True while both invariants have held. */
    public boolean invariantsHeld() {
        return concurrentRouterViolations == 0 && workerLimitViolations == 0;
    }
}

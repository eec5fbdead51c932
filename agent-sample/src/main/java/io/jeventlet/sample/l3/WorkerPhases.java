package io.jeventlet.sample.l3;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where the agent's processing workers spend their time: per phase of a
 * router update, the total wall time the workers spent in it and how many
 * times they entered it, and how many of the pool's slots were busy over
 * time. The agent's status reports them ({@code worker_phases},
 * {@code busy_slots}), so an operator sees whether a slow agent waits for
 * work, for the plugin, for its driver or for its own hub.
 *
 * <p>Phases (each worker goes through them in this order per update):
 * <ul>
 * <li>{@code idle}: waiting in {@code ResourceProcessingQueue.nextResource}
 * (no update queued), counted when the wait ends and only from the first
 * update's begin on (not the wait for the agent's first work).</li>
 * <li>{@code fetch_wait}: the fetch waiting to go out in a batched
 * {@code sync_routers} call (a call already out, or the leader's hub turn).</li>
 * <li>{@code fetch_call}: the call that carried the router, request to reply.</li>
 * <li>{@code fetch_wake}: from the reply to the worker running again.</li>
 * <li>{@code decode}: the router's wire form to a {@code Router}.</li>
 * <li>{@code apply_latency}: the driver's per-router latency (a cooperative sleep);
 * its overshoot beyond the configured latency is the hub's timer lag.</li>
 * <li>{@code apply_nat}: rendering and loading the NAT rules (on Tpool in the daemon).</li>
 * <li>{@code apply_other}: the rest of the driver's apply (its operations).</li>
 * <li>{@code after}: from the driver's return to the update's end (the end
 * notification, the agent's and the queue's bookkeeping).</li>
 * </ul>
 *
 * <p>Busy slots: the time-weighted count of workers between their update's
 * begin and end ({@link ProcessingStats#begin} / {@code end}), as seconds spent
 * with k workers busy, k = 0..limit, from the first begin on.
 *
 * <p>Thread rule: Hub-confined (the agent's hub).
 */
public final class WorkerPhases {
    /** The phases, in a worker's order. */
    public enum Phase {
        IDLE, FETCH_WAIT, FETCH_CALL, FETCH_WAKE, DECODE, APPLY_LATENCY, APPLY_NAT, APPLY_OTHER, AFTER;

        /** The wire name: lower case. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongSupplier nanoTime;
    private final EnumMap<Phase, long[]> totals = new EnumMap<>(Phase.class);
    private final double[] busySeconds;
    private int busy;
    private long lastChange = Long.MIN_VALUE;
    private long firstBegin = Long.MIN_VALUE;
    private long lastEnd = Long.MIN_VALUE;

    /** Phases of a pool of at most {@code slots} workers, timed by {@code nanoTime}. */
    public WorkerPhases(int slots, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.busySeconds = new double[slots + 1];
        for (Phase p : Phase.values()) {
            totals.put(p, new long[2]);
        }
    }

    /** Now on this counter's clock, in nanoseconds. */
    public long now() {
        return nanoTime.getAsLong();
    }

    /** Adds {@code nanos} (ignored if negative) spent once in {@code phase}. */
    public void add(Phase phase, long nanos) {
        long[] t = totals.get(phase);
        t[0] += Math.max(0, nanos);
        t[1]++;
    }

    /** Adds the time from {@code since} (from {@link #now()}) to now to {@code phase}; returns now. */
    public long since(Phase phase, long since) {
        long now = now();
        add(phase, now - since);
        return now;
    }

    /** A worker's wait for work that began at {@code since} ended now: {@code idle}, from the first begin on. */
    public void idleSince(long since) {
        if (firstBegin != Long.MIN_VALUE) {
            add(Phase.IDLE, now() - Math.max(since, firstBegin));
        }
    }

    /** Total seconds spent in {@code phase}. */
    public double seconds(Phase phase) {
        return totals.get(phase)[0] / 1e9;
    }

    /** Times {@code phase} was entered. */
    public long count(Phase phase) {
        return totals.get(phase)[1];
    }

    /** A worker became busy (its update began). */
    public void busy() {
        long now = now();
        account(now);
        if (firstBegin == Long.MIN_VALUE) {
            firstBegin = now;
        }
        busy++;
    }

    /** A busy worker's update ended. */
    public void done() {
        long now = now();
        account(now);
        busy = Math.max(0, busy - 1);
        lastEnd = now;
    }

    private void account(long now) {
        if (lastChange != Long.MIN_VALUE) {
            busySeconds[Math.min(busy, busySeconds.length - 1)] += (now - lastChange) / 1e9;
        }
        lastChange = now;
    }

    /** Seconds from the first update's begin to the last one's end (0 before any ended). */
    public double activeSpan() {
        return lastEnd == Long.MIN_VALUE ? 0 : (lastEnd - firstBegin) / 1e9;
    }

    /** Seconds spent with k workers busy, k = 0..slots, up to the last change. */
    public double[] busySlotSeconds() {
        return busySeconds.clone();
    }

    /** Per phase {@code {"seconds": total, "count": n}}, in a worker's order: the status's {@code worker_phases}. */
    public Map<String, Object> toWire() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            long[] t = totals.get(p);
            out.put(p.wireName(), Map.of("seconds", t[0] / 1e9, "count", t[1]));
        }
        return out;
    }
}

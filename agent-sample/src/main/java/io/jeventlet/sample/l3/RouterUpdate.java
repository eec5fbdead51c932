package io.jeventlet.sample.l3;

import java.util.Objects;

/**
 * One request to bring a router up to date (Neutron's {@code ResourceUpdate}):
 * which router, how urgent, what happened, and when the agent learned of it.
 *
 * <p>Guarantees: updates are totally ordered by {@link #compareTo}: a lower
 * {@code priority} number first, then the earlier {@code sequence}. The
 * sequence is the agent's logical clock ({@link ResourceProcessingQueue#newUpdate}
 * hands out strictly increasing ones), so no two updates of one queue compare
 * equal and an update with a larger sequence is newer than every update the
 * agent had learned of before it. {@code timestamp} is the hub clock at that
 * moment, kept for latency figures only; freshness is decided by sequence.
 *
 * <p>Thread rule: immutable, so safe anywhere; the queue that stamps it is
 * Hub-confined.
 *
 * @param routerId the router to process
 * @param priority {@link #PRIORITY_RPC} or {@link #PRIORITY_RESYNC}; lower runs first
 * @param action what the plugin said happened
 * @param sequence the agent's logical time of the update; larger is newer
 * @param timestamp the hub clock (seconds) when the agent learned of it
 * @param tries attempts left before a failing update is given up
 */
public record RouterUpdate(String routerId, int priority, Action action, long sequence, double timestamp, int tries)
        implements Comparable<RouterUpdate> {

    /** Priority of an update notified by the plugin (Neutron's PRIORITY_RPC). */
    public static final int PRIORITY_RPC = 0;
    /** Priority of an update queued by the periodic resync (Neutron's PRIORITY_SYNC_ROUTERS_TASK). */
    public static final int PRIORITY_RESYNC = 1;
    /** Attempts an update gets before a failing one is dropped (Neutron's default). */
    public static final int DEFAULT_TRIES = 5;

    /** What an update says happened to its router. */
    public enum Action {
        /** The router was created or changed: fetch it and configure it. */
        UPDATE,
        /** The router was deleted: remove it without asking the plugin. */
        DELETE,
        /** The periodic resync asks to check it: fetch it; gone means remove it. */
        RESYNC
    }

    /** Checks the fields: a router id, a non-negative priority and sequence. */
    public RouterUpdate {
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(action, "action");
        if (priority < 0) {
            throw new IllegalArgumentException("priority = " + priority + " is not valid: must be >= 0");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence = " + sequence + " is not valid: must be >= 0");
        }
    }

    /** This update with one try fewer (called when it is queued, as Neutron does). */
    public RouterUpdate withOneTryLess() {
        return new RouterUpdate(routerId, priority, action, sequence, timestamp, tries - 1);
    }

    /** True when it was queued more times than it had tries: it must not be retried again. */
    public boolean hitRetryLimit() {
        return tries < 0;
    }

    /** Lower priority number first, then lower sequence, then router id. */
    @Override
    public int compareTo(RouterUpdate other) {
        int c = Integer.compare(priority, other.priority);
        if (c != 0) {
            return c;
        }
        c = Long.compare(sequence, other.sequence);
        return c != 0 ? c : routerId.compareTo(other.routerId);
    }
}

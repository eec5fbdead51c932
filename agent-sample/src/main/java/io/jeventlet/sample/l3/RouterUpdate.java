package io.jeventlet.sample.l3;

import java.util.Objects;

/**
 * One request to bring a router up to date (Neutron's {@code ResourceUpdate}):
 * which router, how urgent, what happened, when, and maybe the router's data
 * already fetched (a full sync's).
 *
 * <p>Guarantees: updates are ordered as Neutron orders them: the lower
 * {@code priority} number first ({@link #PRIORITY_RELATED_ROUTER},
 * {@link #PRIORITY_RPC}, {@link #PRIORITY_SYNC_ROUTERS_TASK}), then the earlier
 * {@code timestamp}, then the router id. The timestamp is the agent's
 * logical clock ({@link ResourceProcessingQueue#now()}), which never hands
 * out the same value twice, so "data fetched at t is newer than an update
 * stamped s" is exact even on a virtual clock where wall time stands still.
 * {@code createdAt} is the hub clock when the update was made, for the wait
 * time in log lines only.
 *
 * <p>Thread rule: immutable, so safe anywhere; the queue that stamps it is
 * Hub-confined.
 *
 * @param routerId the router to process
 * @param priority one of the PRIORITY constants; lower runs first
 * @param action what happened to the router
 * @param timestamp the agent's logical time of the update; larger is newer
 * @param createdAt the hub clock (seconds) when the update was first made
 * @param tries attempts left; {@link ResourceProcessingQueue#add} uses one up
 * @param resource the router as already fetched (a full sync's), or null to fetch it
 */
public record RouterUpdate(String routerId, int priority, Action action, long timestamp, double createdAt, int tries,
        Router resource) implements Comparable<RouterUpdate> {

    /** An update for a router that another router's data named (Neutron's PRIORITY_RELATED_ROUTER). */
    public static final int PRIORITY_RELATED_ROUTER = 0;
    /** An update notified by the plugin over RPC (Neutron's PRIORITY_RPC). */
    public static final int PRIORITY_RPC = 1;
    /** An update queued by the full sync, or a failed one queued again (Neutron's PRIORITY_SYNC_ROUTERS_TASK). */
    public static final int PRIORITY_SYNC_ROUTERS_TASK = 2;
    /** Attempts an update gets before a failing one is dropped (Neutron's default). */
    public static final int DEFAULT_TRIES = 5;

    /** What an update says happened to its router (Neutron's actions). */
    public enum Action {
        /** Created or changed, or scheduled to this agent: fetch (unless the data came along) and apply. */
        ADD_UPDATE_ROUTER,
        /** Deleted, or removed from this agent: remove without asking the plugin. */
        DELETE_ROUTER,
        /** Named by another router's data: fetch and apply, keeping it only if the plugin still has it here. */
        ADD_UPDATE_RELATED_ROUTER,
        /** A related router went away: fetch to see whether it is still here. */
        DELETE_RELATED_ROUTER
    }

    /** Checks the fields: a router id, an action and a known priority. */
    public RouterUpdate {
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(action, "action");
        if (priority < PRIORITY_RELATED_ROUTER || priority > PRIORITY_SYNC_ROUTERS_TASK) {
            throw new IllegalArgumentException("priority = " + priority + " is not valid: must be 0, 1 or 2");
        }
        if (resource != null && !resource.id().equals(routerId)) {
            throw new IllegalArgumentException("resource " + resource.id() + " is not router " + routerId);
        }
    }

    /** This update with one try fewer (when it is queued, as Neutron's {@code add} does). */
    public RouterUpdate withOneTryLess() {
        return new RouterUpdate(routerId, priority, action, timestamp, createdAt, tries - 1, resource);
    }

    /**
     * This update to be tried again: Neutron's {@code _resync_router}, a
     * fresh timestamp, priority {@link #PRIORITY_SYNC_ROUTERS_TASK} and no
     * data, so the next try fetches the router again.
     */
    public RouterUpdate forRetry(long freshTimestamp) {
        return new RouterUpdate(routerId, PRIORITY_SYNC_ROUTERS_TASK, action, freshTimestamp, createdAt, tries, null);
    }

    /** True when it was queued more times than it had tries: it must not be queued again. */
    public boolean hitRetryLimit() {
        return tries < 0;
    }

    /** Lower priority number first, then the earlier timestamp, then the router id. */
    @Override
    public int compareTo(RouterUpdate other) {
        int c = Integer.compare(priority, other.priority);
        if (c != 0) {
            return c;
        }
        c = Long.compare(timestamp, other.timestamp);
        return c != 0 ? c : routerId.compareTo(other.routerId);
    }

    @Override
    public String toString() {
        return "update of " + routerId + " (" + action + ", priority " + priority + ", t=" + timestamp + ", "
                + tries + " tries left" + (resource != null ? ", with data" : "") + ")";
    }
}

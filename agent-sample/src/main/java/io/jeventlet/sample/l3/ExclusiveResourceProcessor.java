package io.jeventlet.sample.l3;

/**
 * Exclusive, non-blocking access to one router for processing (Neutron's
 * {@code ExclusiveResourceProcessor}). The first processor opened for a router
 * is its primary; one opened while the primary is open hands its update to the
 * primary and yields nothing, so its worker never waits for the router.
 *
 * <p>Guarantees: only the primary's {@link #nextUpdate()} returns updates, one
 * at a time, in {@link RouterUpdate} order, skipping (and counting as
 * superseded) those not newer than the timestamp last recorded with
 * {@link #fetchedAndProcessed}; it returns null once no update is left, and
 * from then on the caller must {@link #close()} it. Closing the primary frees
 * the router for the next processor and puts back any update it still held.
 *
 * <p>Thread rule: Hub-confined (the hub of its {@link ResourceProcessingQueue}),
 * used by the one green thread that opened it.
 *
 * <p>Overview: {@code primary} is null when this processor is the primary; only
 * then is {@code pending} non-null. {@code pending} is a plain heap because
 * nothing ever waits on it: updates are added by other workers and taken by
 * the primary between its own steps.
 */
public final class ExclusiveResourceProcessor implements AutoCloseable {
    private final ResourceProcessingQueue owner;
    private final String routerId;
    private final ExclusiveResourceProcessor primary;
    private final java.util.PriorityQueue<RouterUpdate> pending;
    private boolean closed;

    ExclusiveResourceProcessor(ResourceProcessingQueue owner, String routerId, ExclusiveResourceProcessor primary) {
        this.owner = owner;
        this.routerId = routerId;
        this.primary = primary;
        this.pending = primary == null ? new java.util.PriorityQueue<>() : null;
    }

    /** The router this processor is for. */
    public String routerId() {
        return routerId;
    }

    /** True if this processor holds the router (and so is the one that yields its updates). */
    public boolean isPrimary() {
        return primary == null;
    }

    void queueUpdate(RouterUpdate update) {
        (primary == null ? this : primary).pending.add(update);
    }

    /**
     * The next fresh update of the router, or null when there is none left
     * (always null for a processor that is not the primary). Returns without
     * blocking.
     */
    public RouterUpdate nextUpdate() {
        owner.enter();
        if (primary != null || closed) {
            return null;
        }
        RouterUpdate u;
        while ((u = pending.poll()) != null) {
            if (owner.processedTimestamp(routerId) < u.timestamp()) {
                owner.countYielded(u);
                return u;
            }
            owner.countSuperseded(u);
        }
        return null;
    }

    /**
     * Records that the router's data as of {@code timestamp} is applied
     * (Neutron's {@code fetched_and_processed}): every update of it with a
     * timestamp up to this one is superseded from now on. Take the timestamp
     * ({@link ResourceProcessingQueue#now()}) before fetching, never after,
     * so an update made during the fetch stays fresh.
     */
    public void fetchedAndProcessed(long timestamp) {
        owner.enter();
        owner.recordProcessed(routerId, timestamp, true);
    }

    /**
     * As {@link #fetchedAndProcessed}, for a router that is now gone from
     * this agent: older updates are superseded while any could still come,
     * and then the queue forgets the router.
     */
    public void fetchedAndRemoved(long timestamp) {
        owner.enter();
        owner.recordProcessed(routerId, timestamp, false);
    }

    /** Releases the router if this is its primary; idempotent. Does not block. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (primary == null) {
            owner.release(this);
            RouterUpdate u;
            while ((u = pending.poll()) != null) {
                owner.requeue(u);
            }
        }
    }

    @Override
    public String toString() {
        return "ExclusiveResourceProcessor[" + routerId + (primary == null ? ", primary" : "") + (closed ? ", closed" : "")
                + "]";
    }
}

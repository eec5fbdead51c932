package io.jeventlet.sample.l3;

/**
 * Exclusive, non-blocking access to one router for processing (Neutron's
 * {@code ExclusiveResourceProcessor}). The first processor opened for a router
 * is its master; one opened while the master is open hands its update to the
 * master and yields nothing, so its worker never waits for the router.
 *
 * <p>Guarantees: only the master's {@link #nextUpdate()} returns updates, one
 * at a time, in {@link RouterUpdate} order, skipping (and counting as
 * superseded) those not newer than the sequence last recorded with
 * {@link #fetchedAndProcessed}; it returns null once no update is left, and
 * from then on the caller must {@link #close()} it. Closing the master frees
 * the router for the next processor and puts back any update it still held.
 *
 * <p>Thread rule: Hub-confined (the hub of its {@link ResourceProcessingQueue}),
 * used by the one green thread that opened it.
 *
 * <p>Overview: {@code master} is null when this processor is the master; only
 * then is {@code pending} non-null. {@code pending} is a plain heap because
 * nothing ever waits on it: updates are added by other workers and taken by
 * the master between its own steps.
 */
public final class ExclusiveResourceProcessor implements AutoCloseable {
    private final ResourceProcessingQueue owner;
    private final String routerId;
    private final ExclusiveResourceProcessor master;
    private final java.util.PriorityQueue<RouterUpdate> pending;
    private boolean closed;

    ExclusiveResourceProcessor(ResourceProcessingQueue owner, String routerId, ExclusiveResourceProcessor master) {
        this.owner = owner;
        this.routerId = routerId;
        this.master = master;
        this.pending = master == null ? new java.util.PriorityQueue<>() : null;
    }

    /** The router this processor is for. */
    public String routerId() {
        return routerId;
    }

    /** True if this processor holds the router (and so is the one that yields its updates). */
    public boolean isMaster() {
        return master == null;
    }

    void queueUpdate(RouterUpdate update) {
        (master == null ? this : master).pending.add(update);
    }

    /**
     * The next fresh update of the router, or null when there is none left
     * (always null for a processor that is not the master). Returns without
     * blocking.
     */
    public RouterUpdate nextUpdate() {
        owner.enter();
        if (master != null || closed) {
            return null;
        }
        RouterUpdate u;
        while ((u = pending.poll()) != null) {
            if (owner.processedSequence(routerId) < u.sequence()) {
                owner.countYielded();
                return u;
            }
            owner.countSuperseded();
        }
        return null;
    }

    /**
     * Records that the router's data as of {@code sequence} is configured:
     * every update of it with a sequence up to this one is superseded from
     * now on. Take the sequence ({@link ResourceProcessingQueue#lastSequence()})
     * before fetching, never after, so an update made during the fetch stays fresh.
     */
    public void fetchedAndProcessed(long sequence) {
        owner.enter();
        owner.recordProcessed(routerId, sequence);
    }

    /** Releases the router if this is its master; idempotent. Does not block. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (master == null) {
            owner.release(this);
            RouterUpdate u;
            while ((u = pending.poll()) != null) {
                owner.requeue(u);
            }
        }
    }

    @Override
    public String toString() {
        return "ExclusiveResourceProcessor[" + routerId + (master == null ? ", master" : "") + (closed ? ", closed" : "")
                + "]";
    }
}

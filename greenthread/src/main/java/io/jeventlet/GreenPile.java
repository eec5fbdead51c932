package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * eventlet's GreenPile: a bunch of tasks run in a {@link GreenPool}, whose
 * results are read back by iterating, in the order the tasks were spawned.
 * Several piles may share one pool (and so its concurrency limit).
 *
 * <pre>{@code
 * GreenPile<String> pile = new GreenPile<>(10);       // at most 10 at once
 * for (String host : hosts) {
 *     pile.spawn(() -> ping(host));
 * }
 * while (pile.hasNext()) {
 *     LOG.info(pile.next());                          // in spawn order
 * }
 * }</pre>
 *
 * <p>Thread rule: Hub-confined — bound to the hub of its first {@code spawn}
 * or {@code next}; either from another hub is an {@link IllegalStateException}.
 *
 * <p>Guarantees: {@link #next()} returns each spawned task's result exactly
 * once, in spawn order, rethrowing a task's exception by
 * {@link GreenThread#await()}'s rule for that position only; iteration ends
 * ({@link #hasNext()} false) once every spawned task was returned. A spawn
 * that fails (for example a {@link Timeout} while waiting for a pool slot)
 * leaves no hole in the sequence.
 *
 * <p>Overview: {@code outstanding} counts spawns begun and results not yet
 * returned, and is raised before the possibly blocking pool spawn — as in
 * eventlet — so that a green thread iterating while another is blocked in
 * {@link #spawn} waits for that task instead of ending early. Such an
 * iterator parks on {@code readers} until the green thread is queued.
 */
public class GreenPile<T> implements Iterator<T> {
    private final GreenPool pool;
    private final ArrayDeque<GreenThread<T>> spawned = new ArrayDeque<>();
    private final ArrayDeque<Greenlet> readers = new ArrayDeque<>(1);
    private int outstanding;
    /** The hub of its first spawn or next; null until then. */
    private Hub hub;

    /** A pile with its own pool of {@code size} green threads. */
    public GreenPile(int size) {
        this(new GreenPool(size));
    }

    /** A pile whose tasks run in {@code pool}, sharing its limit with its other users. */
    public GreenPile(GreenPool pool) {
        if (pool == null) {
            throw new NullPointerException("pool");
        }
        this.pool = pool;
    }

    /** Runs {@code fn} in the pool (waiting for a slot if it is full); its result comes back by iterating. */
    public void spawn(Callable<T> fn) {
        hub = Confinement.bind(hub, Hub.get(), this);
        outstanding++;
        GreenThread<T> gt;
        try {
            gt = pool.spawn(fn);
        } catch (RuntimeException | Error e) {
            outstanding--;
            wakeReaders();
            throw e;
        }
        spawned.add(gt);
        wakeReaders();
    }

    private void wakeReaders() {
        for (Greenlet r : readers) {
            r.wake();
        }
    }

    /** True while a spawned task's result has not been returned yet. */
    @Override
    public boolean hasNext() {
        return outstanding > 0;
    }

    /**
     * Waits for the result of the oldest task not yet returned, and returns it
     * (or throws its exception). {@link NoSuchElementException} when nothing is
     * outstanding, or when the only outstanding spawn, blocked in another green
     * thread, failed.
     */
    @Override
    public T next() {
        hub = Confinement.bind(hub, Hub.get(), this);
        if (outstanding == 0) {
            throw new NoSuchElementException("GreenPile: every spawned task was already returned");
        }
        GreenThread<T> gt = spawned.poll();
        if (gt == null) {
            gt = awaitSpawned();
        }
        // Counted as returned once taken: if this wait is killed, the result is dropped, not repeated.
        outstanding--;
        return gt.await();
    }

    /** Waits until another green thread, blocked in {@link #spawn}, has queued its task. */
    private GreenThread<T> awaitSpawned() {
        Greenlet me = Greenlet.current();
        readers.add(me);
        try {
            me.waitFor(() -> !spawned.isEmpty() || outstanding == 0);
            GreenThread<T> gt = spawned.poll();
            if (gt == null) {
                throw new NoSuchElementException("GreenPile: the pending spawn failed");
            }
            return gt;
        } finally {
            readers.remove(me);
        }
    }
}

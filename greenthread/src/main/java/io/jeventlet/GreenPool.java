package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * eventlet's GreenPool: runs functions in green threads, at most {@code size}
 * of them at once. {@link #spawn} and {@link #spawnN} block the caller while
 * the pool is full; blocked spawners get slots in the order they began to
 * wait.
 *
 * <pre>{@code
 * GreenPool pool = new GreenPool(8);                  // at most 8 at once
 * for (String router : routers) {
 *     pool.spawnN(() -> process(router));             // waits while 8 are running
 * }
 * pool.waitAll();
 * }</pre>
 *
 * <p>Thread rule: Hub-confined. The first call binds the pool to the caller's
 * hub; a call from another hub is an {@link IllegalStateException}.
 *
 * <p>Guarantees: the number of pool tasks started and not finished never
 * exceeds {@code size}, except right after {@link #resize} shrank the pool, when
 * the tasks already admitted finish and no new one starts until the pool is
 * below its new size again. A task frees its slot however it ends: by
 * returning, throwing, or being killed (even before it started).
 *
 * <p>Overview: as in eventlet, the slots are a {@link Semaphore} of
 * {@code size} permits, and its hand-over is the pool's: a freed slot goes
 * straight to the first blocked spawner, so a spawner arriving in between can
 * never overtake it (FIFO), and a spawner killed after being handed a slot
 * passes it on. Slots in use — tasks spawned and not finished, plus spawners
 * handed a slot that have not resumed yet — are {@code size - slots.counter()};
 * {@link #resize} adds or takes the difference in permits, so the counter
 * goes negative while more tasks run than the new size allows.
 * {@code members} holds the green threads currently running a pool task; it
 * is how a task that spawns into its own full pool is recognised and run
 * inline (eventlet's reentrancy), and how {@link #waitAll()} refuses to wait
 * for itself.
 */
public class GreenPool {
    private int size;
    private final Semaphore slots;
    private int running;
    private Hub hub;
    private final ArrayDeque<Greenlet> allDoneWaiters = new ArrayDeque<>(1);
    private final Set<Greenlet> members = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A pool of at most 1000 green threads (eventlet's default). */
    public GreenPool() {
        this(1000);
    }

    /** A pool of at most {@code size} green threads; 0 makes every spawn wait for a resize. */
    public GreenPool(int size) {
        this.size = checkSize(size);
        this.slots = new Semaphore(size);
    }

    private static int checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size = " + size + " is not valid: must be >= 0");
        }
        return size;
    }

    /**
     * Runs {@code fn} in a new green thread of the pool, first waiting for a
     * free slot. Its result or exception comes from {@link GreenThread#await()}.
     * Reentrant: called from one of this pool's own green threads while the pool
     * is full, it runs {@code fn} inline in the caller and returns a green
     * thread that has already finished with its result; an exception of
     * {@code fn} is then thrown from here, as in eventlet.
     */
    public <T> GreenThread<T> spawn(Callable<T> fn) {
        if (fn == null) {
            throw new NullPointerException("fn");
        }
        Greenlet me = enter();
        if (free() <= 0 && members.contains(me)) {
            return runInline(me, fn);
        }
        slots.acquire();
        GreenThread<T> gt;
        try {
            gt = Eventlet.spawn(member(fn));
        } catch (RuntimeException | Error e) {
            slotFreed();
            throw e;
        }
        running++;
        gt.link(done -> taskDone());
        return gt;
    }

    /**
     * As {@link #spawn}, with no result object. An exception of {@code fn} is
     * logged once (the hub's failure report) and frees the slot. When it
     * reenters a full pool, {@code fn} runs inline and an exception of it is
     * logged, not thrown.
     */
    public void spawnN(Runnable fn) {
        if (fn == null) {
            throw new NullPointerException("fn");
        }
        Greenlet me = enter();
        if (free() <= 0 && members.contains(me)) {
            runInlineN(me, fn);
            return;
        }
        slots.acquire();
        try {
            Eventlet.spawnN(memberN(fn));
        } catch (RuntimeException | Error e) {
            slotFreed();
            throw e;
        }
        running++;
    }

    /**
     * Waits until no task of the pool is running. From inside one of the
     * pool's own green threads it would wait for itself forever:
     * {@link IllegalStateException}.
     */
    public void waitAll() {
        Greenlet me = enter();
        if (members.contains(me)) {
            throw new IllegalStateException("waitAll() called from within one of the GreenPool's green threads"
                    + " would never return: " + me);
        }
        if (inUse() == 0) {
            return;
        }
        allDoneWaiters.add(me);
        try {
            me.waitFor(() -> inUse() == 0);
        } finally {
            allDoneWaiters.remove(me);
        }
    }

    /** Tasks spawned into the pool and not finished yet. */
    public int running() {
        return running;
    }

    /** Slots free now; negative after a {@link #resize} below the number running. */
    public int free() {
        return slots.counter();
    }

    /** Green threads blocked in {@link #spawn} or {@link #spawnN} waiting for a slot. */
    public int waiting() {
        return slots.waiting();
    }

    /** The current maximum number of concurrent tasks. */
    public int size() {
        return size;
    }

    /**
     * Changes the maximum number of concurrent tasks. Running tasks are never
     * stopped: after shrinking, {@link #free()} may be negative until enough of
     * them finish. Growing hands the new slots to blocked spawners at once.
     */
    public void resize(int newSize) {
        checkSize(newSize);
        enter();
        slots.adjust(newSize - size);
        size = newSize;
    }

    /**
     * eventlet's {@code imap}: an iterator over {@code fn} applied to each item,
     * each call in its own green thread, results in input order. At most
     * {@code size} calls are in flight (spawned and not yet returned by the
     * iterator), and input is pulled only as they are consumed, so an endless
     * input runs in constant memory. As in eventlet, these green threads are
     * bounded by the pool's size but do not take the pool's slots. An
     * exception of {@code fn} is thrown from {@code next()} for its item; the
     * iterator goes on with the next one.
     */
    public <A, R> Iterator<R> imap(Function<A, R> fn, Iterable<A> items) {
        if (fn == null) {
            throw new NullPointerException("fn");
        }
        if (items == null) {
            throw new NullPointerException("items");
        }
        Iterator<A> input = items.iterator();
        return new Iterator<>() {
            private final ArrayDeque<GreenThread<R>> inFlight = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                return !inFlight.isEmpty() || input.hasNext();
            }

            @Override
            public R next() {
                enter();
                // Top up before waiting, so the head's wait overlaps with the others' work.
                while ((inFlight.isEmpty() || inFlight.size() < size) && input.hasNext()) {
                    A item = input.next();
                    inFlight.add(Eventlet.spawn(new Callable<R>() {
                        @Override
                        public R call() {
                            return fn.apply(item);
                        }

                        @Override
                        public String toString() {
                            return "imap " + fn;
                        }
                    }));
                }
                GreenThread<R> head = inFlight.poll();
                if (head == null) {
                    throw new NoSuchElementException("imap: the input is exhausted");
                }
                return head.await();
            }
        };
    }

    // ---- slots --------------------------------------------------------------------------------

    /** The caller's greenlet, after binding the pool to its hub or checking it is that hub. */
    private Greenlet enter() {
        Greenlet me = Greenlet.current();
        hub = Confinement.bind(hub, me.hub(), this);
        return me;
    }

    /** Slots handed out: tasks spawned and not finished, and spawners handed a slot that have not spawned yet. */
    private int inUse() {
        return size - slots.counter();
    }

    /** A task ended (or a spawn failed): its slot goes to the first blocked spawner, and waitAll may be over. */
    private void slotFreed() {
        slots.release();
        if (inUse() == 0) {
            for (Greenlet g : allDoneWaiters) {
                g.wake();
            }
        }
    }

    private void taskDone() {
        running--;
        slotFreed();
    }

    // ---- task bodies --------------------------------------------------------------------------

    /** Wraps a task so that its green thread is known as a member while it runs. */
    private <T> Callable<T> member(Callable<T> fn) {
        return new Callable<>() {
            @Override
            public T call() throws Exception {
                Greenlet me = Greenlet.current();
                members.add(me);
                try {
                    return fn.call();
                } finally {
                    members.remove(me);
                }
            }

            @Override
            public String toString() {
                return fn.toString();
            }
        };
    }

    /** As {@link #member}, and the slot is freed here since a spawnN task has no link. */
    private Runnable memberN(Runnable fn) {
        return new Runnable() {
            @Override
            public void run() {
                Greenlet me = Greenlet.current();
                members.add(me);
                try {
                    fn.run();
                } finally {
                    members.remove(me);
                    taskDone();
                }
            }

            @Override
            public String toString() {
                return fn.toString();
            }
        };
    }

    private <T> GreenThread<T> runInline(Greenlet me, Callable<T> fn) {
        T value;
        try {
            value = fn.call();
        } catch (Throwable t) {
            throw GreenThreadException.rethrow(me.translate(t));
        }
        GreenThread<T> gt = new GreenThread<>(me.hub(), () -> value);
        gt.finish(value, null);
        return gt;
    }

    private void runInlineN(Greenlet me, Runnable fn) {
        try {
            fn.run();
        } catch (Exception e) {
            Throwable t = me.translate(e);
            if (t != e) {
                throw GreenThreadException.rethrow(t);
            }
            me.hub().reportFailure(fn, e);
        }
    }
}

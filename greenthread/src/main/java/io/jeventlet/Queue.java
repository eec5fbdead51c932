package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import java.util.ArrayDeque;

/**
 * eventlet's {@code Queue}: a {@link LightQueue} that also counts unfinished
 * tasks, so that producers can {@link #join()} until every item put was got
 * and marked done with {@link #taskDone()}. FIFO; {@code Queue(0)} is a
 * channel (unlike {@code java.util.concurrent} and Python's stdlib, where 0
 * means unbounded).
 *
 * <pre>{@code
 * Queue<String> work = new Queue<>();
 * Eventlet.spawnN(() -> {
 *     while (true) {
 *         handle(work.get());
 *         work.taskDone();
 *     }
 * });
 * work.put("a");
 * work.put("b");
 * work.join();                                        // returns once both were handled
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, as {@link LightQueue}.
 *
 * <p>Guarantees: every item that entered the queue (stored, or handed
 * straight to a getter) counts as one unfinished task until a
 * {@code taskDone()} for it; {@code join()} returns once the count reached
 * zero after it began waiting, even if new items arrive before it resumes
 * (as eventlet's Event-based join).
 *
 * <p>Overview: {@code drained} counts the times the task count fell to zero;
 * a joiner remembers it when it starts waiting and leaves when it changed,
 * so a wake-up cannot be lost nor undone by a later put.
 */
public class Queue<T> extends LightQueue<T> {
    private final ArrayDeque<Greenlet> joiners = new ArrayDeque<>();
    private int unfinishedTasks;
    private long drained;

    /** An unbounded queue. */
    public Queue() {
        this(-1);
    }

    /** A queue of at most {@code maxsize} items; negative is unbounded, 0 is a channel. */
    public Queue(int maxsize) {
        this(maxsize, Items.fifo());
    }

    Queue(int maxsize, Items<T> items) {
        super(maxsize, items);
    }

    @Override
    void accepted() {
        unfinishedTasks++;
    }

    /**
     * Marks one formerly got item as processed. Throws
     * {@link IllegalStateException} when called more times than items were put
     * (eventlet's ValueError).
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times: no unfinished task is left"
                    + " (each taskDone() must match one item put)");
        }
        if (unfinishedTasks == 1 && !joiners.isEmpty()) {
            enter();
        }
        if (--unfinishedTasks == 0) {
            drained++;
            for (Greenlet g : joiners) {
                g.wake();
            }
        }
    }

    /** Blocks until every item put so far was got and marked done; returns at once if none is unfinished. */
    public void join() {
        if (unfinishedTasks == 0) {
            return;
        }
        long seen = drained;
        Greenlet me = enter();
        joiners.addLast(me);
        try {
            me.waitFor(() -> drained != seen);
        } finally {
            joiners.remove(me);
        }
    }

    /** The number of items put and not yet marked done. */
    public int unfinishedTasks() {
        return unfinishedTasks;
    }

    @Override
    public String toString() {
        String s = super.toString();
        return s.substring(0, s.length() - 1) + ", tasks=" + unfinishedTasks + "]";
    }
}

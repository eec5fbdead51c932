package io.jeventlet;

/**
 * eventlet's {@code PriorityQueue}: a {@link Queue} that hands out the lowest
 * item first (by {@link Comparable}); items of equal priority come out in no
 * particular order, as with Python's {@code heapq}. Use a record of
 * (priority, sequence, value) when ties must be FIFO.
 *
 * <pre>{@code
 * record Job(int priority, String name) implements Comparable<Job> {
 *     public int compareTo(Job o) {
 *         return Integer.compare(priority, o.priority);
 *     }
 * }
 * PriorityQueue<Job> jobs = new PriorityQueue<>();
 * jobs.put(new Job(5, "resync"));
 * jobs.put(new Job(1, "router added"));
 * Job next = jobs.get();                              // the one of priority 1
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, as {@link LightQueue}.
 */
public class PriorityQueue<T extends Comparable<? super T>> extends Queue<T> {

    /** An unbounded priority queue. */
    public PriorityQueue() {
        this(-1);
    }

    /** A priority queue of at most {@code maxsize} items; negative is unbounded, 0 is a channel. */
    public PriorityQueue(int maxsize) {
        super(maxsize, heap());
    }

    private static <T extends Comparable<? super T>> Items<T> heap() {
        java.util.PriorityQueue<T> h = new java.util.PriorityQueue<>();
        return new Items<>() {
            public void add(T item) { h.add(item); }
            public T remove() { return h.poll(); }
            // The lowest is got next anyway: a restored item simply rejoins the heap.
            public void restore(T item) { h.add(item); }
            public int size() { return h.size(); }
        };
    }
}

package io.jeventlet.hubs;

import java.util.Arrays;

/**
 * A binary min-heap of timers by (deadline, sequence). Hub-confined.
 *
 * <p>Overview: cancellation is lazy — a cancelled timer stays in the array and
 * is dropped when it reaches the top — because eager removal would need an
 * index per timer and an O(log n) sift on every cancel. To keep memory bounded
 * when most timers are cancelled (every sleep that a wake-up beats, every
 * Timeout that is cancelled), the heap is compacted once cancelled entries
 * outnumber live ones: live entries move to the front, the heap is rebuilt in
 * O(n), and the arrays shrink when they are far larger than what is left. So
 * a million cancelled timers cost nothing after compaction, and cancel stays
 * O(1).
 */
final class TimerHeap {
    private static final int MIN_COMPACT = 1024;
    private static final int INITIAL = 16;
    // Invariant: for every i < size, deadlines[i] == heap[i].deadline. The
    // sifts compare these packed copies instead of following heap[i] to a
    // timer object scattered in the heap: with 100,000 sleepers that pointer
    // chase was a cache miss per level of every sift. Only equal deadlines
    // (rare on a real clock) look at the timers' sequence numbers.
    private ScheduledTimer[] heap = new ScheduledTimer[INITIAL];
    private double[] deadlines = new double[INITIAL];
    private int size;
    private int cancelled;

    /** Entries in the array, cancelled ones included. */
    int size() {
        return size;
    }

    /** Timers that will still fire. */
    int live() {
        return size - cancelled;
    }

    void add(ScheduledTimer t) {
        if (size == heap.length) {
            resize(size * 2);
        }
        siftUp(size++, t);
    }

    /** The earliest entry (maybe cancelled), or null. */
    ScheduledTimer peek() {
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the earliest entry. */
    ScheduledTimer poll() {
        ScheduledTimer top = heap[0];
        ScheduledTimer last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0, last);
        }
        if (top.cancelled()) {
            cancelled--;
        }
        return top;
    }

    /** The earliest live entry, dropping cancelled ones on the way; null if none. */
    ScheduledTimer peekLive() {
        while (size > 0 && heap[0].cancelled()) {
            poll();
        }
        return peek();
    }

    /** Removes and returns the first live timer due at {@code now} and scheduled before {@code seqLimit}, or null. */
    ScheduledTimer pollDue(double now, long seqLimit) {
        ScheduledTimer t = peekLive();
        if (t == null || t.deadline > now || t.seq >= seqLimit) {
            return null;
        }
        poll();
        return t;
    }

    void onCancelled() {
        cancelled++;
        if (cancelled >= MIN_COMPACT && cancelled > size / 2) {
            compact();
        }
    }

    /**
     * Drops every cancelled entry and re-heapifies in O(n), in place; the
     * arrays shrink only when they are over four times what the live
     * entries need, so a steady schedule-and-cancel load allocates nothing.
     */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            ScheduledTimer t = heap[i];
            if (!t.cancelled()) {
                put(n++, t);
            }
        }
        Arrays.fill(heap, n, size, null);
        size = n;
        cancelled = 0;
        int needed = Math.max(INITIAL, Integer.highestOneBit(Math.max(1, n)) * 2);
        if (heap.length > 4 * needed) {
            resize(needed);
        }
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }

    private void resize(int capacity) {
        heap = Arrays.copyOf(heap, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
    }

    /** The array's capacity, so tests can check that compaction frees memory. */
    int capacity() {
        return heap.length;
    }

    private void put(int k, ScheduledTimer t) {
        heap[k] = t;
        deadlines[k] = t.deadline;
    }

    private void move(int from, int to) {
        heap[to] = heap[from];
        deadlines[to] = deadlines[from];
    }

    /** Entry i fires before timer t (whose deadline is d): deadlines are never NaN and sequences never repeat. */
    private boolean before(int i, double d, ScheduledTimer t) {
        double di = deadlines[i];
        return di < d || (di == d && heap[i].seq < t.seq);
    }

    /** Entry i fires before entry j. */
    private boolean before(int i, int j) {
        double di = deadlines[i];
        double dj = deadlines[j];
        return di < dj || (di == dj && heap[i].seq < heap[j].seq);
    }

    private void siftUp(int k, ScheduledTimer t) {
        double d = t.deadline;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!before(parent, d, t)) {
                move(parent, k);
                k = parent;
            } else {
                break;
            }
        }
        put(k, t);
    }

    private void siftDown(int k, ScheduledTimer t) {
        double d = t.deadline;
        int half = size >>> 1;
        while (k < half) {
            int child = (k << 1) + 1;
            int right = child + 1;
            if (right < size && before(right, child)) {
                child = right;
            }
            if (!before(child, d, t)) {
                break;
            }
            move(child, k);
            k = child;
        }
        put(k, t);
    }
}

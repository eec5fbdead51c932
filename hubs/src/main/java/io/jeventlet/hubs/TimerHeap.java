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
 * outnumber live ones: live entries are copied out, the array shrinks, and the
 * heap is rebuilt in O(n). So a million cancelled timers cost nothing after
 * compaction, and cancel stays O(1).
 */
final class TimerHeap {
    private static final int MIN_COMPACT = 1024;
    private ScheduledTimer[] heap = new ScheduledTimer[16];
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
            heap = Arrays.copyOf(heap, size * 2);
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

    void onCancelled() {
        cancelled++;
        if (cancelled >= MIN_COMPACT && cancelled > size / 2) {
            compact();
        }
    }

    private void compact() {
        int n = 0;
        ScheduledTimer[] kept = new ScheduledTimer[Math.max(16, Integer.highestOneBit(Math.max(1, size - cancelled)) * 2)];
        for (int i = 0; i < size; i++) {
            if (!heap[i].cancelled()) {
                kept[n++] = heap[i];
            }
        }
        heap = kept;
        size = n;
        cancelled = 0;
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }

    /** The array's capacity, so tests can check that compaction frees memory. */
    int capacity() {
        return heap.length;
    }

    private void siftUp(int k, ScheduledTimer t) {
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            ScheduledTimer p = heap[parent];
            if (!t.before(p)) {
                break;
            }
            heap[k] = p;
            k = parent;
        }
        heap[k] = t;
    }

    private void siftDown(int k, ScheduledTimer t) {
        int half = size >>> 1;
        while (k < half) {
            int child = (k << 1) + 1;
            ScheduledTimer c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].before(c)) {
                c = heap[child = right];
            }
            if (!c.before(t)) {
                break;
            }
            heap[k] = c;
            k = child;
        }
        heap[k] = t;
    }
}

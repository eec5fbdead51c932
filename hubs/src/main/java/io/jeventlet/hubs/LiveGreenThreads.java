package io.jeventlet.hubs;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry of one hub's live green threads — started and not dead — and
 * of how many of them wait where. {@link Hub#dump()} lists them, the hub's
 * {@link LoopExit} check counts them, and a process report (oslo's Guru
 * Meditation Report) reads them through the dump.
 *
 * <p>Thread rule: written only by the hub's carrier (hub-confined); read from
 * other threads only for dumps, as a best-effort snapshot.
 *
 * <p>Overview: a doubly linked list threaded through the greenlets' own
 * {@code prev}/{@code next} fields, so registering a spawn allocates nothing
 * and removing an exit is O(1). {@code parked} counts those parked in this
 * runtime's waits, which only the hub can end; {@code foreign} counts waits
 * (green or main) that another OS thread will end. When every live green
 * thread is parked here, nothing is foreign and the hub has no work, timer
 * or listener, no wake-up can ever come.
 */
final class LiveGreenThreads {
    private Greenlet head;
    /** Started and not dead. */
    int live;
    /** Of them, parked in this runtime's waits. */
    int parked;
    /** Waits, green or main, that only another OS thread can end. */
    int foreign;
    /** Of {@code foreign}, the green threads' (not a main greenlet's). */
    int foreignGreen;

    void add(Greenlet g) {
        live++;
        g.next = head;
        if (head != null) {
            head.prev = g;
        }
        head = g;
    }

    void remove(Greenlet g) {
        live--;
        if (g.prev != null) {
            g.prev.next = g.next;
        } else if (head == g) {
            head = g.next;
        }
        if (g.next != null) {
            g.next.prev = g.prev;
        }
        g.prev = null;
        g.next = null;
    }

    /** True when nothing running or runnable could wake a waiter: all parked here, none waiting outside. */
    boolean allParkedInHub() {
        return live == parked && foreign == 0;
    }

    /**
     * True when a live green thread is neither runnable nor parked in this
     * runtime's waits: it is blocked in a JDK wait (a monitor or lock another
     * OS thread holds, a JDK sleep or socket call), which another OS thread
     * ends. Meaningful only while the carrier runs the loop (no green thread
     * runs then) and the ready queue is empty.
     */
    boolean anyInJdkWait() {
        return live > parked + foreignGreen;
    }

    /** Up to {@code max} live green threads, newest first (a snapshot when read from another thread). */
    List<Greenlet> snapshot(int max) {
        List<Greenlet> out = new ArrayList<>();
        for (Greenlet g = head; g != null && out.size() < max; g = g.next) {
            out.add(g);
        }
        return out;
    }
}

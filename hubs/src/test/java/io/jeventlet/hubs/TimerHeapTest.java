package io.jeventlet.hubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerHeapTest {
    private final Hub hub = Hub.withClock(HubClock.virtual());
    private long seq;

    private ScheduledTimer timer(TimerHeap heap, double deadline, Runnable cb) {
        ScheduledTimer t = new ScheduledTimer(hub, deadline, seq++, deadline, cb, null);
        heap.add(t);
        return t;
    }

    /** Timers come out by deadline, and equal deadlines in scheduling order. */
    @Test
    void ordersByDeadlineThenSequence() {
        TimerHeap heap = hub.timers;
        List<Integer> order = new ArrayList<>();
        Random r = new Random(42);
        List<double[]> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double d = r.nextInt(20);
            int id = i;
            timer(heap, d, () -> order.add(id));
            expected.add(new double[] {d, i});
        }
        expected.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        while (heap.peekLive() != null) {
            heap.poll().callback.run();
        }
        for (int i = 0; i < expected.size(); i++) {
            assertEquals((int) expected.get(i)[1], order.get(i));
        }
    }

    /** Cancelled timers never come out of peekLive, and cancel is idempotent. */
    @Test
    void cancelledTimersAreSkipped() {
        TimerHeap heap = hub.timers;
        ScheduledTimer a = timer(heap, 1, () -> { });
        ScheduledTimer b = timer(heap, 2, () -> { });
        a.cancel();
        a.cancel();
        assertEquals(1, heap.live());
        assertEquals(b, heap.peekLive());
        b.cancel();
        assertNull(heap.peekLive());
        assertEquals(0, heap.size());
    }

    /** A million cancelled timers are compacted away: the array shrinks back. */
    @Test
    void compactionFreesCancelledTimers() {
        TimerHeap heap = hub.timers;
        ScheduledTimer keep = timer(heap, 0.5, () -> { });
        for (int i = 0; i < 1_000_000; i++) {
            timer(heap, 1 + i, () -> { }).cancel();
        }
        assertTrue(heap.size() < 2048, "entries left after compaction: " + heap.size());
        assertTrue(heap.capacity() <= 4096, "array capacity after compaction: " + heap.capacity());
        assertEquals(1, heap.live());
        assertEquals(keep, heap.peekLive());
    }

    /**
     * After compactions triggered in the middle of a random schedule-and-cancel
     * load (deadlines with many ties), the live timers still come out by
     * deadline and then scheduling order, each exactly once.
     */
    @Test
    void orderSurvivesCompaction() {
        TimerHeap heap = hub.timers;
        Random r = new Random(7);
        List<ScheduledTimer> live = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            List<ScheduledTimer> batch = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                batch.add(timer(heap, r.nextInt(50), () -> { }));
            }
            for (ScheduledTimer t : batch) {
                if (r.nextInt(4) == 0) {
                    live.add(t);
                } else {
                    t.cancel();
                }
            }
        }
        assertTrue(heap.size() < 5 * 3000, "no compaction happened: " + heap.size() + " entries");
        assertEquals(live.size(), heap.live());
        live.sort((a, b) -> a.deadline != b.deadline ? Double.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
        List<ScheduledTimer> out = new ArrayList<>();
        while (heap.peekLive() != null) {
            out.add(heap.poll());
        }
        assertEquals(live, out);
    }
}

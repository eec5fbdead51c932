package io.jeventlet.hubs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdog behind {@link Hub#setBlockingDetection}: one daemon OS thread
 * that samples every watched hub and, when one task (a green thread's turn or
 * a callback) has held it longer than the hub's threshold, logs one warning
 * with the offender's stack — once per incident, not once per sample.
 * Thread-safe.
 */
final class BlockingDetector {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingDetector.class);
    private static final Set<Hub> HUBS = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<Hub, Long> REPORTED = new ConcurrentHashMap<>();
    private static Thread watchdog;

    private BlockingDetector() {}

    /**
     * One hub's side of the detection: its threshold, and the start and
     * number of the task (a green thread's turn or a callback) running now.
     * Written by the hub's carrier, read by the watchdog.
     */
    static final class Watch {
        /** Threshold in nanos; 0 = off. */
        volatile long limitNanos;
        /** When the running task began (System.nanoTime), or 0 between tasks. */
        volatile long start;
        volatile long seq;
        /** Incidents reported; written by the watchdog thread only. */
        volatile long reports;

        boolean on() {
            return limitNanos > 0;
        }

        void begin() {
            seq++;
            start = System.nanoTime();
        }

        void end() {
            start = 0;
        }
    }

    /** Sets {@code hub}'s threshold ({@code seconds}, checked; 0 or infinite: off) and (un)watches it. */
    static void configure(Hub hub, double seconds) {
        hub.watch.limitNanos = seconds == Double.POSITIVE_INFINITY ? 0 : (long) (seconds * 1e9);
        if (hub.watch.on()) {
            watch(hub);
        } else {
            unwatch(hub);
        }
    }

    private static synchronized void watch(Hub hub) {
        HUBS.add(hub);
        if (watchdog == null) {
            watchdog = Thread.ofPlatform().daemon().name("jeventlet-blocking-detector").start(BlockingDetector::loop);
        }
    }

    private static void unwatch(Hub hub) {
        HUBS.remove(hub);
        REPORTED.remove(hub);
    }

    private static void loop() {
        while (true) {
            long period = 50_000_000L;
            for (Hub hub : HUBS) {
                long limit = hub.watch.limitNanos;
                if (limit <= 0) {
                    continue;
                }
                period = Math.min(period, Math.max(1_000_000L, limit / 4));
                long start = hub.watch.start;
                long seq = hub.watch.seq;
                if (start != 0 && System.nanoTime() - start > limit && !Long.valueOf(seq).equals(REPORTED.get(hub))) {
                    REPORTED.put(hub, seq);
                    hub.watch.reports++; // the watchdog thread is the only writer
                    report(hub, (System.nanoTime() - start) / 1e9);
                }
            }
            try {
                Thread.sleep(period / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void report(Hub hub, double seconds) {
        Greenlet g = hub.lastResumed;
        Thread owner = hub.owner();
        Thread culprit = g != null && !g.main && VirtualThreads.carrierOf(g.thread) == owner ? g.thread : owner;
        String who = culprit == owner ? "a hub callback or an unidentified green thread" : String.valueOf(g);
        Throwable stack = new Throwable("stack of " + who);
        if (culprit != null) {
            stack.setStackTrace(culprit.getStackTrace());
        }
        LOG.warn("{} held {} for {} s without yielding (blocking detection threshold {} s)",
                who, hub, String.format("%.3f", seconds), hub.watch.limitNanos / 1e9, stack);
    }
}

package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.TransportEvents;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts the messages a proxy or driver dropped, by reason, and logs them
 * without letting a flood of garbage flood the log: the first of a reason at
 * once, then at most one line per reason per second carrying how many were
 * dropped meanwhile. Each drop is also a {@code DROPPED} transport event with
 * the reason as its label, so metrics see it without reading this class.
 * Thread-safe (counters are atomic; the log throttle
 * tolerates races that log one line too many).
 */
final class DropLog {
    private final Logger log;
    private final String who;
    private final TransportEvents events;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastLogged = new ConcurrentHashMap<>();

    DropLog(Logger log, String who, TransportEvents events) {
        this.log = log;
        this.who = who;
        this.events = events;
    }

    /** Counts one drop of {@code reason} and logs {@code detail} (throttled). */
    void drop(String reason, String detail) {
        long n = counts.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        events.dropped(reason, detail);
        long now = System.nanoTime();
        long[] last = lastLogged.computeIfAbsent(reason, k -> new long[] {now - 2_000_000_000L, 0});
        if (now - last[0] >= 1_000_000_000L) {
            long since = n - last[1];
            last[0] = now;
            last[1] = n;
            log.warn("{} dropped a message ({}): {} [{} dropped for this reason, {} since the last report]",
                    who, reason, detail, n, since);
        }
    }

    /** Counts an event that is not a drop (e.g. requests routed). */
    void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Counts {@code n} events that are not drops. */
    void count(String what, long n) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).addAndGet(n);
    }

    long get(String reason) {
        AtomicLong c = counts.get(reason);
        return c == null ? 0 : c.get();
    }

    /** A sorted snapshot of every counter. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}

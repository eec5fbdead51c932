package io.jeventlet.rpc.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The process's notification counts by priority and result, recorded on
 * Micrometer's global registry as
 * {@code jeventlet_notifications_total{priority,result}} and kept here as
 * totals. Counting is JVM-wide, as the registry is; a {@link #bind recorder}
 * sees every count as it happens. Thread-safe (lock-free).
 *
 * <p>Results: {@code sent} (a driver delivered it), {@code dropped}
 * (a driver could not deliver it: logged), {@code handled} (a listener
 * acknowledged it), {@code requeued} (given back to its queue),
 * {@code failed} (an endpoint threw), {@code rejected} (a listener could not
 * decode it). Priorities are lower case ({@code info}, ...).
 */
public final class NotificationCounters {
    /** The result label of each count. */
    public enum Result {
        SENT, DROPPED, HANDLED, REQUEUED, FAILED, REJECTED;

        /** The label value: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Prometheus name of the counter. */
    public static final String METER = "jeventlet_notifications_total";
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private static final Map<String, Counter> METERS = new ConcurrentHashMap<>();
    private static volatile BiConsumer<String, Result> recorder;

    private NotificationCounters() {
    }

    /**
     * Calls {@code r} with {@code (priority, result)} for every count from now
     * on (null unbinds). It runs on the counting thread and must not block.
     */
    public static void bind(BiConsumer<String, Result> r) {
        recorder = r;
    }

    /** The total of {@code (priority, result)} since the JVM started. */
    public static long total(String priority, Result result) {
        LongAdder a = COUNTS.get(key(priority, result));
        return a == null ? 0 : a.sum();
    }

    /** The totals, keyed {@code priority/result}. */
    public static Map<String, Long> totals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        COUNTS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static void count(String priority, Result result) {
        String p = priority == null ? "unknown" : priority.toLowerCase(Locale.ROOT);
        String key = key(p, result);
        COUNTS.computeIfAbsent(key, k -> new LongAdder()).increment();
        METERS.computeIfAbsent(key, k -> Metrics.counter(METER, "priority", p, "result", result.label())).increment();
        BiConsumer<String, Result> r = recorder;
        if (r != null) {
            r.accept(p, result);
        }
    }

    private static String key(String priority, Result result) {
        return priority + "/" + result.label();
    }
}

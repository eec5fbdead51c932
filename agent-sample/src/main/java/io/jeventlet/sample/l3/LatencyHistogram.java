package io.jeventlet.sample.l3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Latencies in milliseconds, kept in fixed buckets so that memory does not
 * grow with the number of samples: 1 ms wide up to 1 s, 10 ms up to 10 s,
 * 100 ms up to 100 s, and one bucket above. A percentile is the upper edge
 * of the bucket it falls in, so it is exact to the bucket's width.
 * Histograms add up ({@link #merge}), so the demo merges every agent's.
 *
 * <p>Thread rule: not thread-safe; Hub-confined in the agent.
 */
public final class LatencyHistogram {
    private static final int FINE = 1000;
    private static final int MEDIUM = 900;
    private static final int COARSE = 900;
    private final long[] counts = new long[FINE + MEDIUM + COARSE + 1];
    private long total;

    /** Records one latency; a negative one (clocks of two hosts) counts as 0. */
    public void record(double millis) {
        counts[bucket(Math.max(0, millis))]++;
        total++;
    }

    /** Samples recorded. */
    public long count() {
        return total;
    }

    /** The latency below which {@code p} (0..100) percent of samples lie, in ms; 0 with no samples. */
    public double percentile(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100 * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return upperEdge(i);
            }
        }
        return upperEdge(counts.length - 1);
    }

    /** Adds another histogram's samples to this one. */
    public void merge(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    /** The non-empty buckets as {@code [[bucket, count], ...]}: the JSON form sent over RPC. */
    public List<List<Long>> toWire() {
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.add(List.of((long) i, counts[i]));
            }
        }
        return out;
    }

    /** A histogram from {@link #toWire()}'s form (decoded JSON: lists of numbers). */
    public static LatencyHistogram fromWire(Object wire) {
        LatencyHistogram h = new LatencyHistogram();
        if (!(wire instanceof List<?> rows)) {
            throw new IllegalArgumentException("latency histogram = " + wire + " is not valid: expected a list");
        }
        for (Object row : rows) {
            if (!(row instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Number b)
                    || !(pair.get(1) instanceof Number c) || b.intValue() < 0 || b.intValue() >= h.counts.length) {
                throw new IllegalArgumentException("latency histogram row = " + row
                        + " is not valid: expected [bucket 0.." + (h.counts.length - 1) + ", count]");
            }
            h.counts[b.intValue()] += c.longValue();
            h.total += c.longValue();
        }
        return h;
    }

    /** The summary as a map, for logs. */
    public Map<String, Object> summary() {
        return Map.of("count", total, "p50_ms", percentile(50), "p99_ms", percentile(99));
    }

    private static int bucket(double ms) {
        if (ms < FINE) {
            return (int) ms;
        }
        if (ms < 10_000) {
            return FINE + (int) ((ms - FINE) / 10);
        }
        if (ms < 100_000) {
            return FINE + MEDIUM + (int) ((ms - 10_000) / 100);
        }
        return FINE + MEDIUM + COARSE;
    }

    private static double upperEdge(int i) {
        if (i < FINE) {
            return i + 1;
        }
        if (i < FINE + MEDIUM) {
            return FINE + (i - FINE + 1) * 10.0;
        }
        if (i < FINE + MEDIUM + COARSE) {
            return 10_000 + (i - FINE - MEDIUM + 1) * 100.0;
        }
        return Double.POSITIVE_INFINITY;
    }
}

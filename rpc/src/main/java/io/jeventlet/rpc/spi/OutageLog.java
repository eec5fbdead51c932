package io.jeventlet.rpc.spi;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * How a driver reports that its bus cannot be reached: one WARN when the
 * outage is first seen, then one WARN per {@code interval} with how long it
 * has lasted and its latest cause, and one INFO when the bus is back. The
 * attempts between two warnings are DEBUG. An operator who looks at the log
 * at any time sees that the daemon is still waiting and why, without one line
 * per retry.
 *
 * <p>Thread rule: confined to the one thread (or green thread) that retries;
 * no locks.
 *
 * <p>Time is injected ({@code nanoTime}), so a test checks the repetition
 * without waiting an interval of wall-clock time.
 */
public final class OutageLog {
    private final Logger log;
    private final String what;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    /** Start of the outage; meaningful while {@code attempts > 0}. */
    private long began;
    private long lastWarned;
    private long attempts;

    /**
     * An outage log for {@code what} (e.g. "RabbitMQ rabbit://host:5672/"),
     * warning again every {@code intervalSeconds} (greater than 0) on the
     * system's monotonic clock.
     */
    public OutageLog(Logger log, String what, double intervalSeconds) {
        this(log, what, intervalSeconds, System::nanoTime);
    }

    /** As {@link #OutageLog(Logger, String, double)}, with the clock given. */
    public OutageLog(Logger log, String what, double intervalSeconds, LongSupplier nanoTime) {
        if (!(intervalSeconds > 0)) {
            throw new IllegalArgumentException("outage warning interval " + intervalSeconds + " s is not valid: must be > 0");
        }
        this.log = log;
        this.what = what;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.nanoTime = nanoTime;
    }

    /** True while an outage is under way (a failure since the last {@link #recovered()}). */
    public boolean inOutage() {
        return attempts > 0;
    }

    /**
     * One failed attempt to reach the bus, because of {@code cause}: a WARN
     * if it is the outage's first or an interval passed since the last WARN,
     * else DEBUG.
     */
    public void failed(String cause) {
        long now = nanoTime.getAsLong();
        attempts++;
        if (attempts == 1) {
            began = now;
            lastWarned = now;
            log.warn("cannot reach {}: {}; retrying with back-off", what, cause);
        } else if (now - lastWarned >= intervalNanos) {
            lastWarned = now;
            log.warn("still cannot reach {} after {} s ({} attempts): {}; retrying with back-off", what,
                    seconds(now - began), attempts, cause);
        } else {
            log.debug("attempt {} to reach {} failed: {}", attempts, what, cause);
        }
    }

    /** The bus answered: an INFO if an outage had been logged, and the next failure starts a new outage. */
    public void recovered() {
        if (attempts > 0) {
            log.info("{} is reachable again after {} s ({} failed attempts)", what,
                    seconds(nanoTime.getAsLong() - began), attempts);
        }
        attempts = 0;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}

package io.jeventlet.rpc.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.LogCapture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An outage is logged at WARN at once, then once per interval with its cause, and its end at INFO; time is injected. */
class OutageLogTest {
    private static final long SECOND = 1_000_000_000L;

    /** WARN at the first failure, DEBUG within the interval, WARN again after it (with duration, attempts, cause), INFO when back. */
    @Test
    void warnsFirstThenOncePerIntervalThenSaysItIsBack() {
        AtomicLong now = new AtomicLong(100 * SECOND);
        try (LogCapture log = new LogCapture(OutageLogTest.class, Level.DEBUG)) {
            OutageLog outage = new OutageLog(LoggerFactory.getLogger(OutageLogTest.class), "the bus", 60, now::get);
            outage.failed("refused 1");
            now.addAndGet(30 * SECOND);
            outage.failed("refused 2");
            now.addAndGet(30 * SECOND);
            outage.failed("refused 3");
            now.addAndGet(5 * SECOND);
            outage.recovered();
            assertEquals(java.util.List.of(
                    "WARN cannot reach the bus: refused 1; retrying with back-off",
                    "DEBUG attempt 2 to reach the bus failed: refused 2",
                    "WARN still cannot reach the bus after 60.0 s (3 attempts): refused 3; retrying with back-off",
                    "INFO the bus is reachable again after 65.0 s (3 failed attempts)"), log.lines());
            assertTrue(!outage.inOutage());
            outage.failed("refused 4");
            assertEquals(1, log.count("cannot reach the bus: refused 4"), "a new outage warns at once: " + log.lines());
        }
    }

    /** A non-positive interval is refused, naming the value. */
    @Test
    void nonPositiveIntervalIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OutageLog(LoggerFactory.getLogger(OutageLogTest.class), "the bus", 0));
        assertTrue(e.getMessage().contains("0.0 s") && e.getMessage().contains("> 0"), e.getMessage());
    }
}

package io.jeventlet.rpc.notify;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * The {@code timestamp} of a notification as oslo writes it:
 * {@code str(timeutils.utcnow())}, UTC without a zone, e.g.
 * {@code 2026-12-06 21:51:27.123456}. This side always writes the six
 * fraction digits; Python leaves the fraction out when the microseconds are
 * 0, and {@link #parse} accepts both. Thread-safe (stateless).
 */
public final class NotificationTimestamps {
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private NotificationTimestamps() {
    }

    /** {@code instant} in oslo's form, truncated to microseconds. */
    public static String format(Instant instant) {
        return WRITE.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }

    /** Now, in oslo's form. */
    public static String now() {
        return format(Instant.now());
    }

    /**
     * The instant {@code text} names: {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, UTC.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Instant parse(String text) {
        try {
            return LocalDateTime.parse(text, READ).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("notification timestamp '" + text + "' is not of the form"
                    + " YYYY-MM-DD HH:MM:SS[.ffffff] (UTC)", e);
        }
    }
}

package io.jeventlet.tests.e2e;

import io.jeventlet.rpc.MessagingException;
import java.util.function.Supplier;

/**
 * Condition polling for the end-to-end tests: every wait is a loop over its
 * condition with a deadline, never a bare sleep. A bus error while checking
 * (a restarted peer not registered yet) counts as "not yet".
 *
 * <p>Thread rule: plain test threads only (it parks the OS thread).
 */
final class Polling {
    /** Milliseconds between two polls. */
    static final long PERIOD_MS = 50;

    private Polling() {}

    /** Parks the caller for one poll period. */
    static void pause() {
        pause(PERIOD_MS);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }

    /**
     * Polls {@code check} until it returns null (met) or {@code seconds}
     * pass; then fails with the last non-null explanation and {@code context}.
     */
    static void until(double seconds, long periodMs, Supplier<String> check, Supplier<String> context) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        String why;
        while ((why = attempt(check)) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + why + "\n" + context.get());
            }
            pause(periodMs);
        }
    }

    /** The check's answer; a bus error (a peer not registered yet, a timeout) counts as not met. */
    private static String attempt(Supplier<String> check) {
        try {
            return check.get();
        } catch (MessagingException e) {
            return e.toString();
        }
    }
}

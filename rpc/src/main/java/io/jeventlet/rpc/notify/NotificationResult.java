package io.jeventlet.rpc.notify;

/**
 * What an endpoint method returns to say whether it handled a notification:
 * oslo's {@code NotificationResult}. Returning nothing ({@code void} or
 * null) means {@link #HANDLED}. Immutable.
 */
public enum NotificationResult {
    /** Done: the notification is acknowledged (no other endpoint's result changes that, unless it requeues). */
    HANDLED,
    /**
     * Give it back to its queue for another try (only with {@code allowRequeue};
     * without it, logged as an error and treated as handled). The endpoints
     * after the one that returned it are not called.
     */
    REQUEUE
}

package io.jeventlet.rpc.notify;

/**
 * One of a notifier's drivers (oslo's {@code notify.notifier.Driver}):
 * {@code messagingv2}, {@code messaging}, {@code log} or {@code noop}.
 * Thread-safe. {@link #send} may block cooperatively (a broker's confirm),
 * never past {@code retry}; it logs and counts what it cannot deliver and
 * does not throw for it.
 */
interface NotificationSink {

    /** Delivers {@code message} (priority {@code priority}), giving up after {@code retry} reconnect attempts. */
    void send(NotificationMessage message, Priority priority, int retry);
}

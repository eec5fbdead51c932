package io.jeventlet.rpc.notify;

import io.jeventlet.rpc.NotificationBus;
import io.jeventlet.rpc.Target;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo's {@code messaging} and {@code messagingv2} drivers: the notification
 * goes to {@code <topic>.<priority>} of each topic on the control exchange,
 * in oslo's 2.0 envelope ({@code messagingv2}) or bare (oslo's 1.0 format,
 * {@code messaging}). A topic that cannot be reached is logged and counted
 * and the others are still tried. Thread-safe (immutable).
 */
final class MessagingSink implements NotificationSink {
    private static final Logger LOG = LoggerFactory.getLogger(MessagingSink.class);

    private final NotificationBus bus;
    private final List<Target> topics;
    private final boolean envelope;

    MessagingSink(NotificationBus bus, List<String> topics, boolean envelope) {
        this.bus = bus;
        this.topics = topics.stream().map(Target::new).toList();
        this.envelope = envelope;
    }

    @Override
    public void send(NotificationMessage message, Priority priority, int retry) {
        for (Target topic : topics) {
            try {
                bus.send(topic, priority.lower(), message.toWire(), envelope, retry);
                NotificationCounters.count(priority.lower(), NotificationCounters.Result.SENT);
            } catch (RuntimeException e) {
                NotificationCounters.count(priority.lower(), NotificationCounters.Result.DROPPED);
                LOG.error("could not send notification {} ({}) to {}.{} over {}: {}", message.messageId(),
                        message.eventType(), topic.topic(), priority.lower(), bus.url(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return envelope ? "messagingv2" : "messaging";
    }
}

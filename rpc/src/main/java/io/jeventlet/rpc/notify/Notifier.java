package io.jeventlet.rpc.notify;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.NotificationBus;
import io.jeventlet.rpc.Serializer;
import io.jeventlet.rpc.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications: oslo.messaging's {@code Notifier}. Each notification
 * goes through every driver of the notifier: {@code messagingv2} (oslo's 2.0
 * envelope to {@code <topic>.<priority>} of each topic on the control
 * exchange), {@code messaging} (the same without the envelope), {@code log}
 * (one log line on {@code oslo.messaging.notification.<event_type>}),
 * {@code noop}.
 *
 * <p>Thread rule: immutable and thread-safe; any green thread of any hub, or
 * a plain thread, may notify at once. A notification is sent before the call
 * returns (on {@code rabbit://}, once the broker confirmed it).
 *
 * <p>Failure: {@code notify} never throws to its caller. A notification a
 * driver cannot deliver (bus unreachable within {@code retry}, payload not
 * encodable, message too large) is logged at ERROR and counted as
 * {@code dropped} in {@link NotificationCounters}; with {@code retry}
 * -1 (the default, as oslo's) a driver waits for the bus as long as it
 * takes, with N it gives up after N reconnect attempts' worth of waiting.
 *
 * <pre>{@code
 * Transport transport = Transport.createNotification(conf);
 * Notifier notifier = new Notifier(transport, "network.host-1");
 * notifier.info(ctx, "router.update.end", Map.of("router", Map.of("id", routerId)));
 * }</pre>
 *
 * <p>Overview: the context is reduced to oslo 14's safe keys before the
 * serializer sees it (a token never reaches the bus); each notification gets
 * a fresh {@code message_id} (a UUID), a {@code _unique_id} and a UTC
 * {@code timestamp} with microseconds; {@link #withPublisherId} and
 * {@link #withRetry} share the drivers of the notifier they came from.
 */
public final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    /** The drivers a notifier uses when made from a bare-URL transport. */
    static final List<String> DEFAULT_DRIVERS = List.of("messagingv2");
    /** The topics a notifier uses when made from a bare-URL transport. */
    static final List<String> DEFAULT_TOPICS = List.of("notifications");

    private final List<NotificationSink> sinks;
    private final List<String> driverNames;
    private final Serializer serializer;
    private final String publisherId;
    private final int retry;

    /**
     * A notifier with the drivers, topics and retry of the configuration
     * {@code transport} was made from ({@code notifications.driver},
     * {@code .topics}, {@code .retry}); for a transport made from a bare URL,
     * {@code messagingv2} to {@code notifications}, retrying forever.
     */
    public Notifier(Transport transport, String publisherId) {
        this(NotificationBus.of(transport), publisherId, null, null, null);
    }

    /**
     * A notifier with these drivers and topics (null: as the two-argument
     * constructor) and {@code serializer} (null: none).
     *
     * @throws IllegalArgumentException for an unknown driver name, naming it
     */
    public Notifier(Transport transport, String publisherId, List<String> drivers, List<String> topics,
                    Serializer serializer) {
        this(NotificationBus.of(transport), publisherId, drivers, topics, serializer);
    }

    private Notifier(NotificationBus bus, String publisherId, List<String> drivers, List<String> topics,
                     Serializer serializer) {
        boolean configured = bus.configured();
        List<String> names = drivers != null ? List.copyOf(drivers)
                : configured ? bus.conf().get(NotifyOpts.DRIVER) : DEFAULT_DRIVERS;
        List<String> tops = topics != null ? List.copyOf(topics)
                : configured ? bus.conf().get(NotifyOpts.TOPICS) : DEFAULT_TOPICS;
        List<NotificationSink> made = new ArrayList<>();
        for (String name : names) {
            made.add(sink(bus, name, tops));
        }
        this.sinks = List.copyOf(made);
        this.driverNames = List.copyOf(names);
        this.serializer = serializer != null ? serializer : new Serializer() { };
        this.publisherId = publisherId;
        this.retry = configured ? bus.conf().get(NotifyOpts.RETRY) : -1;
    }

    private Notifier(Notifier base, String publisherId, int retry) {
        this.sinks = base.sinks;
        this.driverNames = base.driverNames;
        this.serializer = base.serializer;
        this.publisherId = publisherId;
        this.retry = retry;
    }

    private static NotificationSink sink(NotificationBus bus, String name, List<String> topics) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "messagingv2" -> new MessagingSink(bus, topics, true);
            case "messaging" -> new MessagingSink(bus, topics, false);
            case "log" -> new LogSink(bus.mapper());
            case "noop" -> (message, priority, r) -> { };
            default -> throw new IllegalArgumentException("notification driver '" + name + "' is unknown; expected"
                    + " messagingv2, messaging, log or noop (notifications.driver)");
        };
    }

    /** oslo's {@code prepare(publisher_id=...)}: the same drivers, another publisher id. */
    public Notifier withPublisherId(String publisherId) {
        return new Notifier(this, publisherId, retry);
    }

    /**
     * oslo's {@code prepare(retry=...)}: the same drivers, another retry (-1:
     * wait for the bus as long as it takes, 0: never wait, N: N reconnect attempts).
     *
     * @throws IllegalArgumentException for a retry below -1
     */
    public Notifier withRetry(int retry) {
        if (retry < -1) {
            throw new IllegalArgumentException("retry = " + retry + " is not valid; expected -1 (forever), 0 or more");
        }
        return new Notifier(this, publisherId, retry);
    }

    /** The publisher id sent (may be null). */
    public String publisherId() {
        return publisherId;
    }

    /** The retry a driver gives up after. */
    public int retry() {
        return retry;
    }

    /** False when the drivers are empty or only {@code noop}: a caller may skip building the payload. */
    public boolean isEnabled() {
        for (String n : driverNames) {
            if (!n.trim().equalsIgnoreCase("noop")) {
                return true;
            }
        }
        return false;
    }

    /** Sends at {@code AUDIT}. */
    public void audit(Context ctx, String eventType, Object payload) {
        notify(ctx, eventType, payload, Priority.AUDIT);
    }

    /** Sends at {@code DEBUG}. */
    public void debug(Context ctx, String eventType, Object payload) {
        notify(ctx, eventType, payload, Priority.DEBUG);
    }

    /** Sends at {@code INFO}. */
    public void info(Context ctx, String eventType, Object payload) {
        notify(ctx, eventType, payload, Priority.INFO);
    }

    /** Sends at {@code WARN}. */
    public void warn(Context ctx, String eventType, Object payload) {
        notify(ctx, eventType, payload, Priority.WARN);
    }

    /** Sends at {@code ERROR}. */
    public void error(Context ctx, String eventType, Object payload) {
        notify(ctx, eventType, payload, Priority.ERROR);
    }

    /** Sends at {@code CRITICAL}. */
    public void critical(Context ctx, String eventType, Object payload) {
        notify(ctx, eventType, payload, Priority.CRITICAL);
    }

    /** Sends at {@code SAMPLE}. */
    public void sample(Context ctx, String eventType, Object payload) {
        notify(ctx, eventType, payload, Priority.SAMPLE);
    }

    private void notify(Context ctx, String eventType, Object payload, Priority priority) {
        if (sinks.isEmpty()) {
            return;
        }
        NotificationMessage message;
        try {
            Context c = ctx == null ? Context.empty() : ctx;
            Object wirePayload = serializer.serializeEntity(c, payload);
            Map<String, Object> wireContext = serializer.serializeContext(NotificationMessage.sanitize(c));
            message = NotificationMessage.create(publisherId, eventType, priority, wirePayload,
                    Objects.requireNonNullElse(wireContext, Map.of()));
        } catch (RuntimeException e) {
            NotificationCounters.count(priority.lower(), NotificationCounters.Result.DROPPED);
            LOG.error("notification {} cannot be serialized: {}", eventType, e.toString());
            return;
        }
        for (NotificationSink sink : sinks) {
            try {
                sink.send(message, priority, retry);
            } catch (RuntimeException e) {
                NotificationCounters.count(priority.lower(), NotificationCounters.Result.DROPPED);
                LOG.error("problem '{}' sending notification {} ({}) through driver {}", e, message.messageId(),
                        eventType, sink);
            }
        }
    }

    @Override
    public String toString() {
        return "Notifier(" + publisherId + ", drivers " + driverNames + ", retry " + retry + ")";
    }
}

package io.jeventlet.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The door of {@code io.jeventlet.rpc.notify} to a transport's bus: what
 * oslo's {@code Transport._send_notification} and
 * {@code _listen_for_notifications} do. Applications use
 * {@link io.jeventlet.rpc.notify.Notifier} and
 * {@link io.jeventlet.rpc.notify.NotificationListener} instead.
 *
 * <p>Thread-safe and immutable: a view of one transport.
 */
public final class NotificationBus {
    private final DriverTransport transport;

    private NotificationBus(DriverTransport transport) {
        this.transport = transport;
    }

    /**
     * The bus of {@code transport}.
     *
     * @throws IllegalArgumentException when it was not made by {@code Transport.create}
     */
    public static NotificationBus of(Transport transport) {
        return new NotificationBus(DriverTransport.of(Objects.requireNonNull(transport, "transport")));
    }

    /** The transport's effective configuration. */
    public ConfigOpts conf() {
        return transport.conf();
    }

    /** True when the transport was made from a configuration, false when from a bare URL. */
    public boolean configured() {
        return transport.configured();
    }

    /** The transport's URL, passwords masked. */
    public String url() {
        return transport.url();
    }

    /** The mapper payloads are converted with (Jackson's defaults). */
    public ObjectMapper mapper() {
        return transport.envelope().mapper();
    }

    /** The exchange of {@code target}: its own, else {@code rpc.control_exchange}. */
    public String exchange(Target target) {
        return transport.resolve(target).exchange();
    }

    /**
     * Encodes {@code message} (in oslo's 2.0 envelope when {@code envelope},
     * else as bare JSON: oslo's 1.0 format) and publishes it to
     * {@code <target.topic>.<priority>} on the target's exchange.
     *
     * @throws InvalidMessage when it cannot be encoded or is too large
     * @throws MessagingException when the bus cannot take it within {@code retry}
     */
    public void send(Target target, String priority, Map<String, Object> message, boolean envelope, int retry) {
        byte[] body = envelope ? transport.envelope().encode(message) : bare(message);
        String routingKey = target.topic() + "." + priority;
        try {
            notificationDriver().sendNotification(exchange(target), routingKey, body, retry);
        } catch (DriverException e) {
            throw DriverTransport.translate(e);
        } catch (MessagingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MessagingException("notification to " + routingKey + " over " + transport.url() + " failed: "
                    + e, e);
        }
    }

    /**
     * Consumes {@code <topic>.<priority>} of every target for every priority,
     * in the queue named {@code pool} (null: each key's own queue).
     */
    public Listener listen(List<Target> targets, Collection<String> priorities, String pool, IncomingHandler handler) {
        List<NotificationDriver.Binding> bindings = new ArrayList<>();
        for (Target t : targets) {
            for (String p : priorities) {
                bindings.add(new NotificationDriver.Binding(exchange(t), t.topic() + "." + p));
            }
        }
        try {
            return notificationDriver().listenForNotifications(List.copyOf(bindings), pool, handler);
        } catch (DriverException e) {
            throw DriverTransport.translate(e);
        }
    }

    /**
     * Decodes a received body: an envelope, or (oslo's 1.0 format) the bare message.
     *
     * @throws InvalidMessage naming what was wrong
     */
    public Map<String, Object> decode(byte[] body) {
        return transport.envelope().decode(body);
    }

    private byte[] bare(Map<String, Object> message) {
        try {
            byte[] body = mapper().writeValueAsBytes(message);
            if (body.length > transport.envelope().maxMessageSize()) {
                throw new InvalidMessage("encoded notification is " + body.length + " bytes, larger than"
                        + " rpc.max_message_size = " + transport.envelope().maxMessageSize() + " bytes");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new InvalidMessage("notification cannot be encoded as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private NotificationDriver notificationDriver() {
        if (transport.driver() instanceof NotificationDriver d) {
            return d;
        }
        throw new MessagingException("the transport " + transport.url() + " cannot carry notifications");
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.notify.Notifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The notifications the L3 agent emits for what it does to a router, with
 * Neutron's event types: {@value #UPDATE_START} / {@value #UPDATE_END} around
 * applying a router, {@value #DELETE_START} / {@value #DELETE_END} around
 * removing one. Publisher id {@code network.<host>}, as Neutron's; payload
 * {@code {"router": {"id", "revision_number"}, "host"}} at INFO. Does nothing
 * when the notifier is disabled ({@code notifications.driver} empty).
 *
 * <p>Thread rule: thread-safe (the notifier is); notifying never throws.
 */
public final class RouterNotifications {
    /** Event types, Neutron's. */
    public static final String UPDATE_START = "router.update.start";
    /** See {@link #UPDATE_START}. */
    public static final String UPDATE_END = "router.update.end";
    /** See {@link #UPDATE_START}. */
    public static final String DELETE_START = "router.delete.start";
    /** See {@link #UPDATE_START}. */
    public static final String DELETE_END = "router.delete.end";

    private final Notifier notifier;
    private final String host;

    /** Notifications through {@code notifier} (null: none) for the agent on {@code host}. */
    public RouterNotifications(Notifier notifier, String host) {
        this.notifier = notifier != null && notifier.isEnabled() ? notifier.withPublisherId("network." + host) : null;
        this.host = host;
    }

    /** No notifications. */
    static RouterNotifications none(String host) {
        return new RouterNotifications(null, host);
    }

    void updateStart(Context ctx, Router r) {
        send(ctx, UPDATE_START, r.id(), r.revisionNumber());
    }

    void updateEnd(Context ctx, Router r) {
        send(ctx, UPDATE_END, r.id(), r.revisionNumber());
    }

    void deleteStart(Context ctx, String routerId) {
        send(ctx, DELETE_START, routerId, null);
    }

    void deleteEnd(Context ctx, String routerId) {
        send(ctx, DELETE_END, routerId, null);
    }

    private void send(Context ctx, String eventType, String routerId, Long revision) {
        if (notifier == null) {
            return;
        }
        Map<String, Object> router = new LinkedHashMap<>();
        router.put("id", routerId);
        if (revision != null) {
            router.put("revision_number", revision);
        }
        notifier.info(ctx, eventType, Map.of("router", router, "host", host));
    }
}

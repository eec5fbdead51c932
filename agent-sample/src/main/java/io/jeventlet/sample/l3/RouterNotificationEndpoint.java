package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.notify.NotificationFilter;
import java.util.Map;

/**
 * The plugin simulator's notification endpoint: counts the agents' router
 * notifications ({@link RouterNotifications}) by event type in the
 * simulator, whose status (and so the demo summary) shows them.
 *
 * <p>Thread rule: Hub-confined (the simulator's hub, where its listener runs).
 */
@NotificationFilter(publisherId = "network\\.", eventType = "router\\.")
public final class RouterNotificationEndpoint {
    private final PluginSimulator plugin;

    /** An endpoint counting into {@code plugin}. */
    public RouterNotificationEndpoint(PluginSimulator plugin) {
        this.plugin = plugin;
    }

    /** A router notification at INFO. */
    public void info(Context ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        plugin.notificationReceived(eventType);
    }
}

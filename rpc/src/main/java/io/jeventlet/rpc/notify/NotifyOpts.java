package io.jeventlet.rpc.notify;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import java.util.List;

/**
 * The {@code notifications} option group: oslo.messaging's
 * {@code [oslo_messaging_notifications]} options under the same names and
 * defaults (in this module's {@code reference.conf}).
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class NotifyOpts implements OptGroupProvider {

    /** The {@code notifications} group. */
    public static final OptGroup NOTIFICATIONS = new OptGroup("notifications",
            "Notifications: oslo.messaging's [oslo_messaging_notifications] options under the same names.");

    /** {@code notifications.driver}: the drivers every notification goes through; empty turns notifications off. */
    public static final Opt<List<String>> DRIVER = NOTIFICATIONS.add(Opt.listOpt("driver")
            .help("Drivers each notification goes through: messagingv2 (oslo's 2.0 envelope), messaging (no"
                    + " envelope), log (one log line), noop. Empty: notifications are off, as oslo's default."));
    /** {@code notifications.transport_url}: the notification bus; unset means {@code rpc.transport_url}. Secret. */
    public static final Opt<String> TRANSPORT_URL = NOTIFICATIONS.add(Opt.stringOpt("transport_url").secret()
            .help("The bus notifications go over; unset: rpc.transport_url."));
    /** {@code notifications.topics}: each notification goes to {@code <topic>.<priority>} of every topic. */
    public static final Opt<List<String>> TOPICS = NOTIFICATIONS.add(Opt.listOpt("topics")
            .help("Topics each notification is sent to, as <topic>.<priority>."));
    /** {@code notifications.retry}: reconnect attempts before a notification is given up; -1 forever. */
    public static final Opt<Integer> RETRY = NOTIFICATIONS.add(Opt.intOpt("retry").min(-1)
            .help("Reconnect attempts before a notification that cannot be sent is logged and dropped;"
                    + " -1: wait for the bus as long as it takes (oslo's default), 0: never wait."));

    @Override
    public List<OptGroup> groups() {
        return List.of(NOTIFICATIONS);
    }
}

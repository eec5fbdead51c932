package io.jeventlet.sample.l3;

import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.NotificationListener;
import io.jeventlet.service.Service;
import java.util.List;

/**
 * The plugin simulator as a service: it serves topic
 * {@value L3PluginEndpoint#TOPIC} (the agents' calls and the demo's) and
 * {@value ReportStateEndpoint#TOPIC} (the state reports), casts its
 * notifications to the agents on {@value L3AgentEndpoint#TOPIC}, and
 * listens to the agents' router notifications on
 * {@value #NOTIFICATION_TOPIC} ({@link RouterNotificationEndpoint}).
 *
 * <p>Thread rule: Hub-confined: {@link #start()} and {@link #stop} on the
 * simulator's hub.
 */
public final class PluginSimulatorService extends Service {
    /** The simulator's RPC server name. */
    public static final String SERVER = "plugin-sim";
    /** The topic the simulator listens to the agents' router notifications on (oslo's default). */
    public static final String NOTIFICATION_TOPIC = "notifications";

    private final Transport transport;
    private final PluginSimulator plugin;
    private final L3AgentNotifyRpcApi notifier;
    private RpcServer l3Server;
    private RpcServer reportServer;
    private NotificationListener notificationListener;

    /** A service for {@code plugin}, talking over {@code transport}. */
    public PluginSimulatorService(Transport transport, PluginSimulator plugin) {
        this.transport = transport;
        this.plugin = plugin;
        this.notifier = new L3AgentNotifyRpcApi(transport);
        plugin.connect(notifier);
    }

    /** Starts serving, then the workload; returns once the servers listen. */
    @Override
    public void start() {
        l3Server = new RpcServer(transport, new Target(L3PluginEndpoint.TOPIC).withServer(SERVER),
                List.of(new L3PluginEndpoint(plugin), new PluginDemoEndpoint(plugin)));
        reportServer = new RpcServer(transport, new Target(ReportStateEndpoint.TOPIC).withServer(SERVER),
                List.of(new ReportStateEndpoint(plugin)));
        l3Server.start();
        reportServer.start();
        notificationListener = new NotificationListener(transport, List.of(new Target(NOTIFICATION_TOPIC)),
                List.of(new RouterNotificationEndpoint(plugin)), null);
        notificationListener.start();
        plugin.start();
    }

    /** Stops the workload and the servers, answering the calls already taken. */
    @Override
    public void stop(boolean graceful) {
        plugin.stop();
        for (RpcServer s : new RpcServer[] {l3Server, reportServer}) {
            if (s != null) {
                s.stop();
            }
        }
        if (notificationListener != null) {
            notificationListener.stop();
        }
        for (RpcServer s : new RpcServer[] {l3Server, reportServer}) {
            if (s != null) {
                s.await();
            }
        }
        if (notificationListener != null) {
            notificationListener.await();
        }
        super.stop(graceful);
    }

    /** The simulator. */
    public PluginSimulator plugin() {
        return plugin;
    }

    /** Casts the bus refused so far. */
    public long undeliveredCasts() {
        return notifier.undelivered();
    }
}

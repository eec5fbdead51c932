package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingException;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link L3AgentNotifier} over RPC, as Neutron's {@code L3AgentNotifyAPI}
 * sends it: casts on topic {@value L3AgentEndpoint#TOPIC} to server = the
 * agent's host. A cast that the bus refuses (no such agent listening) is
 * logged and counted: the agent's full sync repairs what it missed.
 *
 * <p>Thread-safe, as {@link RpcClient} is.
 */
public final class L3AgentNotifyRpcApi implements L3AgentNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(L3AgentNotifyRpcApi.class);

    private final RpcClient client;
    private final java.util.concurrent.atomic.AtomicLong undelivered = new java.util.concurrent.atomic.AtomicLong();

    /** A notifier that casts on {@code transport}. */
    public L3AgentNotifyRpcApi(Transport transport) {
        this.client = new RpcClient(transport, new Target(L3AgentEndpoint.TOPIC));
    }

    private void cast(String host, String method, Map<String, ?> args) {
        try {
            client.withServer(host).cast(Context.empty(), method, args);
        } catch (MessagingException e) {
            if (undelivered.incrementAndGet() % 100 == 1) {
                LOG.warn("{} to agent {} not delivered ({} so far): {}", method, host, undelivered.get(), e.toString());
            }
        }
    }

    @Override
    public void routersUpdated(String host, List<String> routerIds) {
        cast(host, "routers_updated", Map.of("routers", routerIds));
    }

    @Override
    public void routerDeleted(String host, String routerId) {
        cast(host, "router_deleted", Map.of("router_id", routerId));
    }

    @Override
    public void routerAddedToAgent(String host, List<String> routerIds) {
        cast(host, "router_added_to_agent", Map.of("payload", routerIds));
    }

    @Override
    public void routerRemovedFromAgent(String host, String routerId) {
        cast(host, "router_removed_from_agent", Map.of("payload", Map.of("router_id", routerId)));
    }

    @Override
    public void agentUpdated(String host) {
        cast(host, "agent_updated", Map.of("payload", Map.of("host", host)));
    }

    /** Casts the bus refused so far. */
    public long undelivered() {
        return undelivered.get();
    }
}

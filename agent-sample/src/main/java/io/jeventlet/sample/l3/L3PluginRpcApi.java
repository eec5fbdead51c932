package io.jeventlet.sample.l3;

import io.jeventlet.rpc.BackingOffClient;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingTimeout;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link L3PluginApi} over RPC, as Neutron's agent sends it: calls on topic
 * {@value L3PluginEndpoint#TOPIC} ({@code get_router_ids(host)},
 * {@code sync_routers(host, router_ids)}) through a {@link BackingOffClient}
 * (Neutron's {@code get_client}: each method's timeout starts at
 * {@code rpc.response_timeout}, doubles after a timeout and comes back after
 * successes), and {@code report_state} on {@value ReportStateEndpoint#TOPIC}
 * with the report interval as its timeout.
 *
 * <p>Thread-safe, as {@link RpcClient} is: many green threads may call at once.
 */
public final class L3PluginRpcApi implements L3PluginApi {
    private final String host;
    private final RpcClient plugin;
    private final RpcClient reports;
    private final AtomicLong timedOut = new AtomicLong();

    /** The plugin API of the agent {@code host}, on {@code transport}. */
    public L3PluginRpcApi(Transport transport, String host) {
        this.host = host;
        this.plugin = new BackingOffClient(transport, new Target(L3PluginEndpoint.TOPIC));
        this.reports = new RpcClient(transport, new Target(ReportStateEndpoint.TOPIC));
    }

    @Override
    public List<String> getRouterIds(Context ctx) {
        Object r = call(ctx, "get_router_ids", Map.of("host", host));
        if (!(r instanceof List<?> ids)) {
            throw new MalformedRouterException("?", "get_router_ids result", r, "a list of router ids");
        }
        List<String> out = new ArrayList<>(ids.size());
        for (Object id : ids) {
            if (!(id instanceof String s)) {
                throw new MalformedRouterException("?", "get_router_ids result element", id, "a router id string");
            }
            out.add(s);
        }
        return out;
    }

    @Override
    public List<Object> getRouters(Context ctx, List<String> routerIds) {
        Map<String, Object> args = new HashMap<>();
        args.put("host", host);
        args.put("router_ids", routerIds);
        Object r = call(ctx, "sync_routers", args);
        if (!(r instanceof List<?> routers)) {
            throw new MalformedRouterException("?", "sync_routers result", r, "a list of routers");
        }
        return new ArrayList<>(routers);
    }

    /** A call through the backing-off client, counting its timeouts. */
    private Object call(Context ctx, String method, Map<String, ?> args) {
        try {
            return plugin.call(ctx, method, args);
        } catch (MessagingTimeout e) {
            timedOut.incrementAndGet();
            throw e;
        }
    }

    @Override
    public long timedOutCalls() {
        return timedOut.get();
    }

    @Override
    public String reportState(Context ctx, Map<String, Object> agentState, double timeout) {
        Map<String, Object> args = Map.of("agent_state", Map.of("agent_state", agentState), "time",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Object r = reports.withTimeout(timeout).call(ctx, "report_state", args);
        return r == null ? null : r.toString();
    }
}

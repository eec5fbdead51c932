package io.jeventlet.sample.l3;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.Timeout;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingTimeout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Agents and a plugin simulator on one hub, joined without a transport:
 * each call runs the plugin's method in its own green thread and waits for
 * it at most the call's timeout ({@link MessagingTimeout} after it, while
 * the plugin's green thread goes on, as a server's would); each cast runs
 * the agent's method in a green thread of its own. For tests of the agent's
 * and the simulator's logic; the RPC wiring has its own tests.
 *
 * <p>Thread rule: Hub-confined.
 */
final class DirectWiring implements L3AgentNotifier {
    final PluginSimulator plugin;
    final Map<String, L3Agent> agents = new HashMap<>();
    final double callTimeout;
    long casts;

    DirectWiring(PluginSimulator plugin, double callTimeout) {
        this.plugin = plugin;
        this.callTimeout = callTimeout;
        plugin.connect(this);
    }

    /** The plugin as agent {@code host} sees it. */
    L3PluginApi pluginApi(String host) {
        return new L3PluginApi() {
            @Override
            public List<String> getRouterIds(Context ctx) {
                return call(() -> plugin.getRouterIds(host), callTimeout, "get_router_ids");
            }

            @Override
            public List<Object> getRouters(Context ctx, List<String> routerIds) {
                return call(() -> List.copyOf(plugin.syncRouters(host, List.copyOf(routerIds))), callTimeout,
                        "sync_routers");
            }

            @Override
            public String reportState(Context ctx, Map<String, Object> agentState, double timeout) {
                return call(() -> plugin.reportState(agentState), timeout, "report_state");
            }
        };
    }

    private static <T> T call(Callable<T> fn, double timeout, String method) {
        Event<Object> reply = new Event<>();
        Eventlet.spawnN(() -> {
            try {
                reply.send(fn.call());
            } catch (Exception e) {
                reply.sendException(e);
            }
        });
        Object none = new Object();
        Object r = Timeout.withTimeout(timeout, reply::await, none);
        if (r == none) {
            throw new MessagingTimeout(method + ": no reply within " + timeout + " s");
        }
        @SuppressWarnings("unchecked")
        T t = (T) r;
        return t;
    }

    private void cast(String host, java.util.function.Consumer<L3Agent> fn) {
        L3Agent a = agents.get(host);
        if (a != null) {
            casts++;
            Eventlet.spawnN(() -> fn.accept(a));
        }
    }

    @Override
    public void routersUpdated(String host, List<String> routerIds) {
        cast(host, a -> a.routersUpdated(routerIds));
    }

    @Override
    public void routerDeleted(String host, String routerId) {
        cast(host, a -> a.routerDeleted(routerId));
    }

    @Override
    public void routerAddedToAgent(String host, List<String> routerIds) {
        cast(host, a -> a.routersUpdated(routerIds));
    }

    @Override
    public void routerRemovedFromAgent(String host, String routerId) {
        cast(host, a -> a.routerDeleted(routerId));
    }

    @Override
    public void agentUpdated(String host) {
        cast(host, a -> a.agentUpdated(Map.of("host", host)));
    }
}

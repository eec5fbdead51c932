package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.Event;
import io.jeventlet.GreenThread;
import io.jeventlet.LightQueue;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent/plugin boundary inside one process: a stand-in for the RPC layer
 * made of two green queues, each drained by one server green thread, as an
 * RPC server's consumer would. {@link #pluginApi} gives the agent a
 * {@link PluginApi} whose calls travel to the plugin's server and wait for
 * the reply; {@link #agentNotifications} gives the plugin an
 * {@link AgentNotifications} whose casts travel to the agent's server and do
 * not wait.
 *
 * <p>Guarantees: requests on one side are delivered in the order they were
 * sent; arguments and results are copied, so neither side shares a mutable
 * list with the other; an exception of a call comes back to its caller; a
 * call pending or made after {@link #stop()} fails with
 * {@link IllegalStateException} instead of waiting forever.
 *
 * <p>Thread rule: Hub-confined: both sides and both servers run on the hub
 * that called {@link #start()}.
 *
 * <p>Lifecycle:
 * <pre>
 * NEW -> RUNNING      // start(): both server green threads spawned
 * RUNNING -> STOPPED  // stop(): servers killed, pending calls failed
 * </pre>
 */
public final class InProcessTransport {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessTransport.class);

    /** A request in flight; {@code reply} is null for a cast. */
    private record Request(String method, Callable<Object> work, Event<Object> reply) {
    }

    private enum State { NEW, RUNNING, STOPPED }

    private final LightQueue<Request> toPlugin = new LightQueue<>();
    private final LightQueue<Request> toAgent = new LightQueue<>();
    private GreenThread<Void> pluginServer;
    private GreenThread<Void> agentServer;
    private State state = State.NEW;
    private long sent;
    private long done;

    /** Spawns the two server green threads. */
    public void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("InProcessTransport.start() in state " + state + ": expected NEW");
        }
        pluginServer = Eventlet.spawn(() -> serve(toPlugin));
        agentServer = Eventlet.spawn(() -> serve(toAgent));
        state = State.RUNNING;
    }

    /** Kills both servers and fails every call still waiting for a reply; idempotent. */
    public void stop() {
        if (state != State.RUNNING) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        pluginServer.kill();
        agentServer.kill();
        failPending(toPlugin);
        failPending(toAgent);
    }

    /** The agent's view of {@code plugin}: each call is a request to the plugin's server. */
    public PluginApi pluginApi(PluginApi plugin) {
        return new PluginApi() {
            @Override
            public List<String> getRouterIds() {
                return List.copyOf(call("get_router_ids", plugin::getRouterIds));
            }

            @Override
            public List<Router> getRouters(List<String> ids) {
                List<String> sent = List.copyOf(ids);
                return List.copyOf(call("get_routers", () -> plugin.getRouters(sent)));
            }

            @Override
            public void reportState(AgentState state) {
                call("report_state", () -> {
                    plugin.reportState(state);
                    return null;
                });
            }
        };
    }

    /** The plugin's view of {@code agent}: each notification is a cast to the agent's server. */
    public AgentNotifications agentNotifications(AgentNotifications agent) {
        return new AgentNotifications() {
            @Override
            public void routersUpdated(List<String> ids) {
                List<String> sent = List.copyOf(ids);
                cast("routers_updated", () -> agent.routersUpdated(sent));
            }

            @Override
            public void routerDeleted(String id) {
                cast("router_deleted", () -> agent.routerDeleted(id));
            }
        };
    }

    /**
     * Requests sent and not yet handled by their server, both sides together
     * (including one handed to a server green thread that has not run yet).
     */
    public long inFlight() {
        return sent - done;
    }

    @SuppressWarnings("unchecked")
    private <T> T call(String method, Callable<T> work) {
        checkRunning(method);
        Event<Object> reply = new Event<>();
        toPlugin.putNowait(new Request(method, (Callable<Object>) work, reply));
        sent++;
        return (T) reply.await();
    }

    private void cast(String method, Runnable work) {
        checkRunning(method);
        toAgent.putNowait(new Request(method, () -> {
            work.run();
            return null;
        }, null));
        sent++;
    }

    private void checkRunning(String method) {
        if (state != State.RUNNING) {
            throw new IllegalStateException(method + " called while the in-process transport is " + state
                    + ": expected RUNNING");
        }
    }

    private void serve(LightQueue<Request> inbox) {
        while (true) {
            Request r = inbox.get();
            Object result;
            try {
                result = r.work().call();
            } catch (Exception e) {
                done++;
                if (r.reply() != null) {
                    r.reply().sendException(e);
                } else {
                    LOG.error("cast {} failed", r.method(), e);
                }
                continue;
            }
            done++;
            if (r.reply() != null) {
                r.reply().send(result);
            }
        }
    }

    private void failPending(LightQueue<Request> inbox) {
        while (!inbox.empty()) {
            Request r = inbox.getNowait();
            done++;
            if (r.reply() != null && !r.reply().ready()) {
                r.reply().sendException(new IllegalStateException(r.method() + " was not delivered: the in-process"
                        + " transport stopped"));
            }
        }
    }
}

package io.jeventlet.service;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.ExpectedException;
import io.jeventlet.rpc.Invocation;
import io.jeventlet.rpc.RpcInterceptor;
import io.jeventlet.rpc.Target;
import java.util.Map;
import java.util.Objects;

/**
 * Records oslo.metrics' eight RPC series for every invocation of the
 * clients and servers of a transport it intercepts ({@link RpcMetrics} says
 * what and how): {@code transport.intercept(RpcMetricsInterceptor.fromConfig(conf))},
 * or {@link Operability#instrument}, which the daemons use.
 *
 * <p>Client side, around the whole call or cast: labels from the client's
 * target, the method, {@code call}/{@code cast} and the call's timeout.
 * Server side, around the endpoint method: labels from the server's target,
 * the endpoint's simple class name and the request's namespace and version.
 * A request no endpoint matched is not counted (as oslo.metrics' help text
 * says). The {@code exception} label is the simple class name of what was
 * raised; for an {@link ExpectedException}, of its cause, which is what the
 * caller sees.
 *
 * <p>Thread-safe: stateless beyond its thread-safe {@link RpcMetrics}.
 */
public final class RpcMetricsInterceptor implements RpcInterceptor {
    private final RpcMetrics metrics;

    /** Records with {@code metrics}. */
    public RpcMetricsInterceptor(RpcMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Records as {@code conf}'s {@code metrics} group says (see {@link RpcMetrics#fromConfig}). */
    public static RpcMetricsInterceptor fromConfig(ConfigOpts conf) {
        return new RpcMetricsInterceptor(RpcMetrics.fromConfig(conf));
    }

    @Override
    public Object intercept(Invocation inv, Proceed next) {
        Target t = inv.target();
        Map<String, Object> labels;
        String side;
        if (inv.side() == Invocation.Side.CLIENT) {
            side = "client";
            labels = metrics.clientLabels(inv.cast(), t.exchange(), t.topic(), t.namespace(), t.version(), t.server(),
                    t.fanout(), inv.method(), inv.cast() ? null : inv.timeout());
        } else {
            if (inv.endpoint() == null) {
                return next.proceed(inv);
            }
            side = "server";
            labels = metrics.serverLabels(t.exchange(), t.topic(), t.server(), inv.endpoint(), t.namespace(),
                    t.version(), inv.method());
        }
        return metrics.record(side, labels, () -> next.proceed(inv));
    }
}

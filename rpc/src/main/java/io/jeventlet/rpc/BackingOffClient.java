package io.jeventlet.rpc;

import io.jeventlet.Eventlet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link RpcClient} whose call timeout adapts per method: Neutron's
 * {@code BackingOffClient}, for agents whose server may be overloaded.
 *
 * <p>The rule, per method (scoped by namespace, {@code namespace.method},
 * as Neutron does):
 * <ul>
 *   <li>a method starts at the client's {@link #timeout()} (its default);</li>
 *   <li>each {@link MessagingTimeout} doubles it, up to
 *       {@code rpc.response_max_timeout}; before the timeout is rethrown the
 *       caller waits a random time in {@code [0, min(that timeout, default)]}
 *       so that many agents do not retry in step (Neutron's jitter);</li>
 *   <li>each call that succeeds halves it, never below the default — so after
 *       an overload passes the timeout comes back within a few calls instead
 *       of staying high until a restart, as it does in Neutron.</li>
 * </ul>
 *
 * <p>A timeout the caller set explicitly ({@link #withTimeout}) is respected:
 * calls of such a client wait exactly that long and neither read nor change
 * the table (Neutron overrides it; here the caller's choice wins). The
 * client's other settings are the {@link RpcClient}'s {@code CallOptions},
 * so every wither is inherited, only narrowed to this type.
 *
 * <p>Thread-safe: the table of method timeouts is shared by this client and
 * every client its withers return, and may be updated from any hub.
 */
public class BackingOffClient extends RpcClient {
    private static final Logger LOG = LoggerFactory.getLogger(BackingOffClient.class);

    private final Map<String, Double> timeouts;

    /** A backing-off client for {@code target}; see {@link RpcClient#RpcClient(Transport, Target)}. */
    public BackingOffClient(Transport transport, Target target) {
        super(transport, target);
        this.timeouts = new ConcurrentHashMap<>();
    }

    /** As {@link #BackingOffClient(Transport, Target)} with a {@link Serializer}. */
    public BackingOffClient(Transport transport, Target target, Serializer serializer) {
        super(transport, target, serializer);
        this.timeouts = new ConcurrentHashMap<>();
    }

    private BackingOffClient(BackingOffClient base, CallOptions options) {
        super(base, options);
        this.timeouts = base.timeouts;
    }

    @Override
    RpcClient derive(CallOptions options) {
        return new BackingOffClient(this, options);
    }

    // Withers keep the kind and share the table of method timeouts.

    @Override
    public BackingOffClient withServer(String server) {
        return (BackingOffClient) super.withServer(server);
    }

    @Override
    public BackingOffClient withTopic(String topic) {
        return (BackingOffClient) super.withTopic(topic);
    }

    @Override
    public BackingOffClient withFanout(boolean fanout) {
        return (BackingOffClient) super.withFanout(fanout);
    }

    @Override
    public BackingOffClient withNamespace(String namespace) {
        return (BackingOffClient) super.withNamespace(namespace);
    }

    @Override
    public BackingOffClient withVersion(String version) {
        return (BackingOffClient) super.withVersion(version);
    }

    @Override
    public BackingOffClient withTimeout(double seconds) {
        return (BackingOffClient) super.withTimeout(seconds);
    }

    @Override
    public BackingOffClient withVersionCap(String cap) {
        return (BackingOffClient) super.withVersionCap(cap);
    }

    @Override
    public BackingOffClient withCallMonitorTimeout(double seconds) {
        return (BackingOffClient) super.withCallMonitorTimeout(seconds);
    }

    /**
     * The timeout the next call of {@code method} (in this client's
     * namespace) will use: the explicitly set timeout, else the method's
     * adapted one.
     */
    public double methodTimeout(String method) {
        return timeoutFor(method);
    }

    /** The largest timeout a method is doubled to: {@code rpc.response_max_timeout}. */
    public double maxTimeout() {
        return transport().conf().get(RpcOpts.RESPONSE_MAX_TIMEOUT);
    }

    private String scoped(String method) {
        String ns = target().namespace();
        return ns == null ? method : ns + "." + method;
    }

    @Override
    double timeoutFor(String method) {
        return options().timeoutSet() ? timeout() : timeouts.getOrDefault(scoped(method), timeout());
    }

    @Override
    Object invoke(Context ctx, String method, Map<String, ?> args, double current) {
        if (options().timeoutSet()) {
            return super.invoke(ctx, method, args, current);
        }
        String key = scoped(method);
        double defaultTimeout = timeout();
        Object result;
        try {
            result = super.invoke(ctx, method, args, current);
        } catch (MessagingTimeout e) {
            double doubled = Math.min(current * 2, Math.max(maxTimeout(), defaultTimeout));
            double wait = ThreadLocalRandom.current().nextDouble() * Math.min(current, defaultTimeout);
            LOG.error("Timeout in RPC method {}. Waiting for {} seconds before next attempt. If the server is not"
                    + " down, consider increasing rpc.response_timeout: the server may be overloaded and unable"
                    + " to respond quickly enough.", key, String.format("%.3f", wait));
            if (doubled > current) {
                LOG.warn("Increasing timeout for {} calls to {} seconds.", key, doubled);
                timeouts.put(key, doubled);
            }
            Eventlet.sleep(wait);
            throw e;
        }
        if (current > defaultTimeout) {
            double halved = Math.max(defaultTimeout, current / 2);
            if (halved == defaultTimeout) {
                timeouts.remove(key);
            } else {
                timeouts.put(key, halved);
            }
        }
        return result;
    }
}

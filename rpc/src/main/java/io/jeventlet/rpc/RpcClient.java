package io.jeventlet.rpc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jeventlet.hubs.Seconds;
import io.jeventlet.rpc.spi.OutgoingMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invokes methods on remote RPC servers: oslo.messaging's {@code RPCClient}.
 * A {@link #call} sends a request and waits for the one reply; a
 * {@link #cast} sends and returns once the bus has the request.
 *
 * <p>Thread-safe and immutable: one client may be used by many green threads
 * of any hubs at once, each with its own call in flight; the withers
 * (oslo's {@code prepare}) return new clients on the same transport.
 *
 * <p>A waiting call parks only its own green thread, and its timeout (and the
 * call-monitor limit) is measured on that green thread's hub clock, so on a
 * virtual-clock hub a call to a silent server ends in {@link MessagingTimeout}
 * in virtual time.
 *
 * <pre>{@code
 * RpcClient client = new RpcClient(transport, new Target("q-l3-plugin")).withTimeout(10);
 * List<Router> routers = client.call(ctx, "get_routers", Map.of("host", "node-1"),
 *         new TypeReference<List<Router>>() {});
 * client.withFanout(true).cast(ctx, "routers_updated", Map.of("routers", ids));
 * }</pre>
 *
 * <p>Errors: {@link MessagingTimeout}, {@link RemoteError},
 * {@link MessageDeliveryFailure} (raised at once when no server can get the
 * request), {@link InvalidTarget}, {@link UnsupportedVersion} (above the
 * version cap), {@link InvalidMessage} (arguments that cannot be encoded, or
 * larger than {@code rpc.max_message_size}).
 */
public class RpcClient {
    private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);
    /** oslo's NoOpSerializer: every method a default. */
    static final Serializer NO_SERIALIZER = new Serializer() {
    };

    private final DriverTransport transport;
    /** The transport view's interceptors, outermost first; empty: calls skip the chain entirely. */
    private final List<RpcInterceptor> interceptors;
    private final Serializer serializer;
    private final CallOptions options;

    /**
     * A client for {@code target} (at least a topic) on {@code transport}. The
     * call-monitor timeout starts as {@code rpc.call_monitor_timeout}.
     */
    public RpcClient(Transport transport, Target target) {
        this(transport, target, NO_SERIALIZER);
    }

    /**
     * A client for {@code target} on {@code transport} whose argument values,
     * results and context go through {@code serializer} (see {@link Serializer}).
     * A transport made by {@link Transport#intercept} runs its interceptors
     * around every call and cast of this client.
     */
    public RpcClient(Transport transport, Target target, Serializer serializer) {
        this.transport = DriverTransport.of(Objects.requireNonNull(transport, "transport"));
        this.interceptors = InterceptedTransport.interceptorsOf(transport);
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        Double cm = this.transport.conf().get(RpcOpts.CALL_MONITOR_TIMEOUT);
        this.options = new CallOptions(Objects.requireNonNull(target, "target"), null, null, cm == null ? 0 : cm);
    }

    /** A copy of {@code base} with {@code options} (subclasses keep their own state through it). */
    RpcClient(RpcClient base, CallOptions options) {
        this.transport = base.transport;
        this.interceptors = base.interceptors;
        this.serializer = base.serializer;
        this.options = options;
    }

    /** Makes the client the withers return; a subclass overrides it to return its own kind. */
    RpcClient derive(CallOptions options) {
        return new RpcClient(this, options);
    }

    /** The options of this client's calls. */
    CallOptions options() {
        return options;
    }

    // ---- oslo's prepare(...) -----------------------------------------------------------------

    public RpcClient withServer(String server) {
        return derive(options.withTarget(options.target().withServer(server)));
    }

    public RpcClient withTopic(String topic) {
        return derive(options.withTarget(options.target().withTopic(topic)));
    }

    public RpcClient withFanout(boolean fanout) {
        return derive(options.withTarget(options.target().withFanout(fanout)));
    }

    public RpcClient withNamespace(String namespace) {
        return derive(options.withTarget(options.target().withNamespace(namespace)));
    }

    /** @throws IllegalArgumentException unless {@code version} is {@code MAJOR.MINOR} */
    public RpcClient withVersion(String version) {
        return derive(options.withTarget(options.target().withVersion(version)));
    }

    /**
     * A client whose calls wait at most {@code seconds} ({@code POSITIVE_INFINITY}: no limit).
     *
     * @throws IllegalArgumentException for a negative or NaN time
     */
    public RpcClient withTimeout(double seconds) {
        return derive(options.withTimeout(Seconds.check("timeout", seconds)));
    }

    /**
     * A client that refuses to send a version above {@code cap} (null: no cap).
     *
     * @throws IllegalArgumentException unless {@code cap} is null or {@code MAJOR.MINOR}
     */
    public RpcClient withVersionCap(String cap) {
        return derive(options.withVersionCap(Target.checkVersion(cap)));
    }

    /**
     * A client whose calls ask the server for heartbeats every half of
     * {@code seconds} and give up once the server has been silent that long
     * (oslo's {@code call_monitor_timeout}); 0 turns the monitor off.
     */
    public RpcClient withCallMonitorTimeout(double seconds) {
        Seconds.check("callMonitorTimeout", seconds);
        return derive(options.withCallMonitorTimeout(seconds == Double.POSITIVE_INFINITY ? 0 : seconds));
    }

    /** The default target. */
    public Target target() {
        return options.target();
    }

    /** The seconds a call waits: the client's own timeout, else {@code rpc.response_timeout}. */
    public double timeout() {
        return options.timeoutSet() ? options.timeout() : transport.conf().get(RpcOpts.RESPONSE_TIMEOUT);
    }

    /** The version cap, or null. */
    public String versionCap() {
        return options.versionCap();
    }

    /** The call-monitor timeout in seconds; 0 when off. */
    public double callMonitorTimeout() {
        return options.callMonitorTimeout();
    }

    /** True if {@code version} is compatible with the version cap (always, without a cap). */
    public boolean canSendVersion(String version) {
        Target.checkVersion(version);
        return Versions.compatible(options.versionCap(), version);
    }

    /** The transport this client sends on. */
    public Transport transport() {
        return transport;
    }

    // ---- call and cast -----------------------------------------------------------------------

    /**
     * Invokes {@code method} and waits for its result: JSON-shaped Java values
     * ({@code Map}, {@code List}, {@code String}, {@code Integer}/{@code Long}/
     * {@code BigInteger}, {@code Double}, {@code Boolean}, {@code null}), or
     * what the serializer makes of them.
     */
    public Object call(Context ctx, String method, Map<String, ?> args) {
        double t = timeoutFor(method);
        if (interceptors.isEmpty()) {
            return invoke(ctx, method, args, t);
        }
        Invocation inv = new Invocation(Invocation.Side.CLIENT, options.target(), Objects.requireNonNull(method, "method"),
                Objects.requireNonNull(ctx, "ctx"), args == null ? Map.of() : copyArgs(args), false, t, null);
        return Interceptors.run(interceptors, inv, i -> invoke(i.context(), i.method(), i.args(), t));
    }

    /** As {@link #call(Context, String, Map)}, the result converted to {@code type} (Jackson's {@code convertValue}). */
    public <T> T call(Context ctx, String method, Map<String, ?> args, Class<T> type) {
        Object result = call(ctx, method, args);
        try {
            return transport.envelope().mapper().convertValue(result, type);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("result of " + method + " cannot be converted to " + type.getName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** As {@link #call(Context, String, Map)}, the result converted to {@code type}. */
    public <T> T call(Context ctx, String method, Map<String, ?> args, TypeReference<T> type) {
        Object result = call(ctx, method, args);
        try {
            return transport.envelope().mapper().convertValue(result, type);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("result of " + method + " cannot be converted to " + type.getType() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code method} without waiting for it to run; with a fanout target
     * every server of the topic gets it. Returns once the bus has it.
     */
    public void cast(Context ctx, String method, Map<String, ?> args) {
        if (interceptors.isEmpty()) {
            send(ctx, method, args);
            return;
        }
        Invocation inv = new Invocation(Invocation.Side.CLIENT, options.target(), Objects.requireNonNull(method, "method"),
                Objects.requireNonNull(ctx, "ctx"), args == null ? Map.of() : copyArgs(args), true, 0, null);
        Interceptors.run(interceptors, inv, i -> {
            send(i.context(), i.method(), i.args());
            return null;
        });
    }

    /** The timeout a call of {@code method} waits; a subclass may adapt it per method. */
    double timeoutFor(String method) {
        return timeout();
    }

    private static Map<String, Object> copyArgs(Map<String, ?> args) {
        Map<String, Object> copy = new LinkedHashMap<>();
        args.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "argument name"), v));
        return copy;
    }

    /** The cast itself. */
    private void send(Context ctx, String method, Map<String, ?> args) {
        checkTarget(false);
        RequestMessage request = request(ctx, method, args, null, null);
        byte[] body = transport.envelope().encode(request.toWire());
        if (LOG.isDebugEnabled()) {
            LOG.debug("CAST unique_id {} method {} to {} {}", request.uniqueId(), method, options.target(), ctx);
        }
        transport.send(options.target(), new OutgoingMessage(body, null, 0));
    }

    /** The call itself (inside the interceptors), with its timeout; the one place every call goes through. */
    Object invoke(Context ctx, String method, Map<String, ?> args, double timeoutSeconds) {
        Seconds.check("timeout", timeoutSeconds);
        checkTarget(true);
        String msgId = RequestMessage.newId();
        double cm = options.callMonitorTimeout();
        RequestMessage request = request(ctx, method, args, msgId, cm > 0 ? number(cm) : null);
        byte[] body = transport.envelope().encode(request.toWire());
        ReplyWaiters replies = transport.replies();
        PendingCall pending = replies.register(msgId);
        try {
            if (LOG.isDebugEnabled()) {
                LOG.debug("CALL msg_id {} method {} to {} {}", msgId, method, options.target(), ctx);
            }
            transport.send(options.target(), new OutgoingMessage(body, msgId, timeoutSeconds));
            Object result = pending.await(timeoutSeconds, cm, "method '" + method + "' to " + describeTarget(),
                    transport.remoteErrors());
            return serializer == NO_SERIALIZER ? result : serializer.deserializeEntity(ctx, result);
        } finally {
            replies.remove(msgId);
        }
    }

    private RequestMessage request(Context ctx, String method, Map<String, ?> args, String msgId, Object cm) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(method, "method");
        Target target = options.target();
        Map<String, Object> copy = new LinkedHashMap<>();
        if (args != null) {
            boolean plain = serializer == NO_SERIALIZER;
            args.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "argument name"),
                    plain ? v : serializer.serializeEntity(ctx, v)));
        }
        if (!Versions.compatible(options.versionCap(), target.version())) {
            throw new UnsupportedVersion("Requested message version, " + target.version() + " is incompatible. It"
                    + " needs to be equal in major version and less than or equal in minor version as the specified"
                    + " version cap " + options.versionCap() + ".");
        }
        Context wire = serializer == NO_SERIALIZER ? ctx : Context.of(serializer.serializeContext(ctx));
        return new RequestMessage(method, copy, target.namespace(), target.version(), wire, RequestMessage.newId(),
                msgId, msgId == null ? null : transport.driver().replyAddress(), cm);
    }

    private void checkTarget(boolean call) {
        Target target = options.target();
        if (target.topic() == null || target.topic().isEmpty()) {
            throw new InvalidTarget("a target needs a topic to send to: " + target);
        }
        if (call && target.fanout()) {
            throw new InvalidTarget("A call cannot be used with fanout: " + target);
        }
    }

    private String describeTarget() {
        Target target = options.target();
        return "topic '" + target.topic() + "'" + (target.server() != null ? " server '" + target.server() + "'" : "");
    }

    /** An integral number as an integer (Python's {@code int(_timeout)} reads either). */
    private static Object number(double seconds) {
        return seconds == Math.rint(seconds) && seconds < Long.MAX_VALUE ? (Object) (long) seconds : seconds;
    }

    @Override
    public String toString() {
        return "RpcClient(" + options.target() + " on " + transport.url() + ")";
    }
}

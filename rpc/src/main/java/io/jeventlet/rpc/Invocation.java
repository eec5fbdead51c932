package io.jeventlet.rpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One RPC invocation as an {@link RpcInterceptor} sees it. Immutable (the
 * arguments are an unmodifiable copy).
 *
 * @param side     {@link Side#CLIENT} or {@link Side#SERVER}
 * @param target   client side: the client's target; server side: the
 *                 server's target with the request's namespace and version
 * @param method   the method's wire name
 * @param context  the request context
 * @param args     the keyword arguments, in order
 * @param cast     true for a cast (no result is returned to the caller)
 * @param timeout  client side: the seconds a call waits ({@code POSITIVE_INFINITY}
 *                 for no limit; 0 for a cast); server side: the caller's
 *                 call-monitor {@code _timeout} in seconds, 0 when none
 * @param endpoint server side: the simple class name of the endpoint dispatch
 *                 chose, or null when none matched (proceeding then throws
 *                 {@link NoSuchMethod} or {@link UnsupportedVersion});
 *                 client side: null
 */
public record Invocation(Side side, Target target, String method, Context context, Map<String, Object> args,
        boolean cast, double timeout, String endpoint) {

    /** Which end of the call an interceptor runs on. */
    public enum Side { CLIENT, SERVER }

    /** @throws NullPointerException for a null side, target, method, context or args */
    public Invocation {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(args, "args");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** This invocation with another context. */
    public Invocation withContext(Context context) {
        return new Invocation(side, target, method, context, args, cast, timeout, endpoint);
    }

    /** This invocation with other arguments (copied). */
    public Invocation withArgs(Map<String, ?> args) {
        Map<String, Object> copy = new LinkedHashMap<>();
        Objects.requireNonNull(args, "args").forEach(copy::put);
        return new Invocation(side, target, method, context, copy, cast, timeout, endpoint);
    }
}

package io.jeventlet.rpc;

/**
 * Runs around each RPC invocation, on the client (around the whole call or
 * cast, in the caller's green thread) and on the server (around the endpoint
 * method, in the request's green thread, after dispatch chose the
 * endpoint): gRPC's interceptors for oslo.messaging's RPC. Install them with
 * {@link Transport#intercept}; every client and server made on that view
 * runs them, the first listed outermost.
 *
 * <p>An interceptor may observe the {@link Invocation} and its result or
 * exception, rewrite the context or arguments ({@link Invocation#withContext},
 * {@link Invocation#withArgs}) before proceeding, or refuse by throwing
 * instead of proceeding (the client's caller gets the exception; a server's
 * caller gets it as a {@link RemoteError}). It should call
 * {@code next.proceed} at most once.
 *
 * <p>Thread rule: one interceptor serves every green thread of every hub
 * at once; it must be thread-safe. It runs in a green thread and may park
 * cooperatively, never block its OS thread.
 *
 * <pre>{@code
 * RpcInterceptor logging = (inv, next) -> {
 *     log.info("{} {} {} -> {}", inv.side(), inv.method(), inv.args().keySet(), inv.target().topic());
 *     try {
 *         Object result = next.proceed(inv);
 *         log.info("{} {} returned", inv.side(), inv.method());
 *         return result;
 *     } catch (RuntimeException e) {
 *         log.info("{} {} failed: {}", inv.side(), inv.method(), e.toString());
 *         throw e;
 *     }
 * };
 * Transport traced = transport.intercept(logging);
 * }</pre>
 */
@FunctionalInterface
public interface RpcInterceptor {

    /**
     * Runs around {@code invocation}; returns the result (null for a cast or
     * a void method).
     *
     * @param next the rest of the chain: the next interceptor, or the call itself
     */
    Object intercept(Invocation invocation, Proceed next);

    /** The rest of the chain after an interceptor. */
    @FunctionalInterface
    interface Proceed {
        /** Runs the rest of the chain with {@code invocation} (possibly rewritten); returns its result. */
        Object proceed(Invocation invocation);
    }
}

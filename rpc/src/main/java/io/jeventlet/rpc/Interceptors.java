package io.jeventlet.rpc;

import java.util.List;

/**
 * Runs a list of {@link RpcInterceptor}s around a terminal step, the first
 * outermost. Callers skip it entirely when the list is empty, so a transport
 * without interceptors pays nothing. Thread-safe (immutable).
 */
final class Interceptors {
    private Interceptors() {
    }

    /** {@code interceptors} around {@code terminal}, started with {@code invocation}. */
    static Object run(List<RpcInterceptor> interceptors, Invocation invocation, RpcInterceptor.Proceed terminal) {
        return step(interceptors, 0, terminal).proceed(invocation);
    }

    private static RpcInterceptor.Proceed step(List<RpcInterceptor> interceptors, int i, RpcInterceptor.Proceed terminal) {
        if (i == interceptors.size()) {
            return terminal;
        }
        RpcInterceptor here = interceptors.get(i);
        return inv -> here.intercept(java.util.Objects.requireNonNull(inv, "invocation"),
                step(interceptors, i + 1, terminal));
    }
}

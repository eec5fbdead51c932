package io.jeventlet.rpc;

/**
 * Everything a client's withers (oslo's {@code prepare}) set, in one
 * immutable value: gRPC's {@code CallOptions}. Each {@link RpcClient} wither
 * is one line that changes one component; a subclass such as
 * {@link BackingOffClient} keeps its own state beside it and never
 * re-implements a wither. Thread-safe (immutable).
 *
 * @param target             the target calls and casts go to
 * @param timeout            seconds a call waits when set explicitly
 *                           ({@code withTimeout}); null means the transport's
 *                           {@code rpc.response_timeout} (and lets a
 *                           {@link BackingOffClient} adapt it)
 * @param versionCap         the version cap, or null
 * @param callMonitorTimeout seconds of tolerated server silence; 0 means no call monitor
 */
record CallOptions(Target target, Double timeout, String versionCap, double callMonitorTimeout) {

    CallOptions withTarget(Target value) {
        return new CallOptions(value, timeout, versionCap, callMonitorTimeout);
    }

    CallOptions withTimeout(Double value) {
        return new CallOptions(target, value, versionCap, callMonitorTimeout);
    }

    CallOptions withVersionCap(String value) {
        return new CallOptions(target, timeout, value, callMonitorTimeout);
    }

    CallOptions withCallMonitorTimeout(double value) {
        return new CallOptions(target, timeout, versionCap, value);
    }

    /** True when the caller chose the timeout ({@code withTimeout}). */
    boolean timeoutSet() {
        return timeout != null;
    }
}

package io.jeventlet.rpc;

import io.jeventlet.conf.ConfigOpts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A view of a transport with interceptors ({@link Transport#intercept}):
 * the same driver, configuration and events, plus the interceptors its
 * clients and servers run. Closing it closes the transport. Thread-safe and
 * immutable.
 */
final class InterceptedTransport implements Transport {
    private final DriverTransport transport;
    private final List<RpcInterceptor> interceptors;

    private InterceptedTransport(DriverTransport transport, List<RpcInterceptor> interceptors) {
        this.transport = transport;
        this.interceptors = interceptors;
    }

    /** {@code base} with {@code outer} outside the interceptors it already has. */
    static Transport wrap(Transport base, RpcInterceptor... outer) {
        Objects.requireNonNull(outer, "interceptors");
        List<RpcInterceptor> all = new ArrayList<>();
        for (RpcInterceptor i : outer) {
            all.add(Objects.requireNonNull(i, "interceptor"));
        }
        all.addAll(interceptorsOf(base));
        return new InterceptedTransport(DriverTransport.of(base), List.copyOf(all));
    }

    /** The interceptors of {@code transport}, outermost first; empty for a plain transport. */
    static List<RpcInterceptor> interceptorsOf(Transport transport) {
        return transport instanceof InterceptedTransport t ? t.interceptors : List.of();
    }

    DriverTransport delegate() {
        return transport;
    }

    @Override
    public ConfigOpts conf() {
        return transport.conf();
    }

    @Override
    public String url() {
        return transport.url();
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "Transport(" + transport.url() + ", " + interceptors.size() + " interceptor(s))";
    }
}

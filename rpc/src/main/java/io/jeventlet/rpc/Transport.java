package io.jeventlet.rpc;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.TransportEvents;

/**
 * A connection to a message bus, shared by the clients and servers of a
 * process: oslo.messaging's {@code get_rpc_transport}. The URL's scheme picks
 * the driver: {@code inproc://NAME} (one JVM, no sockets, no threads of its
 * own; works in a virtual-clock hub's time), {@code zmq://HOST:PORT[,...]}
 * (ZeroMQ through {@code ZmqProxy}), {@code rabbit://USER:PASS@HOST:PORT[,...]/[VHOST]}
 * (RabbitMQ in oslo.messaging's wire format).
 *
 * <p>Thread-safe: one transport may be shared by clients and servers on
 * several hubs. {@link #close()} is idempotent; calls still waiting then end
 * in {@link MessagingException}.
 *
 * <pre>{@code
 * try (Transport transport = Transport.create("inproc://demo")) {
 *     RpcClient client = new RpcClient(transport, new Target("q-l3-plugin"));
 *     Object routers = client.call(Context.empty(), "get_routers", Map.of("host", "node-1"));
 * }
 * }</pre>
 */
public interface Transport extends AutoCloseable {

    /**
     * A transport for {@code url}, with every other option at its default.
     *
     * @throws IllegalArgumentException for a malformed URL or an unknown
     *         scheme, naming the URL with its password shown as {@code ****}
     */
    static Transport create(String url) {
        return DriverTransport.open(url, null);
    }

    /**
     * A transport for {@code rpc.transport_url} of {@code conf}, with the
     * {@code rpc} group's (and the driver's group's) other options.
     */
    static Transport create(ConfigOpts conf) {
        return DriverTransport.open(conf.get(RpcOpts.TRANSPORT_URL), conf);
    }

    /**
     * The notification transport of {@code conf}: oslo's
     * {@code get_notification_transport}. Its URL is
     * {@code notifications.transport_url}, else {@code rpc.transport_url};
     * every other option as {@link #create(ConfigOpts)}.
     */
    static Transport createNotification(ConfigOpts conf) {
        String url = conf.get(io.jeventlet.rpc.notify.NotifyOpts.TRANSPORT_URL);
        return DriverTransport.open(url != null && !url.isBlank() ? url : conf.get(RpcOpts.TRANSPORT_URL), conf);
    }

    /** The effective configuration this transport was made with. */
    ConfigOpts conf();

    /** The transport URL with passwords shown as {@code ****}. */
    String url();

    /**
     * A view of this transport whose clients and servers run
     * {@code interceptors} around every invocation, the first listed
     * outermost (see {@link RpcInterceptor}). Intercepting a view adds the new
     * interceptors outside the view's own. Closing the view closes the
     * transport.
     */
    default Transport intercept(RpcInterceptor... interceptors) {
        return InterceptedTransport.wrap(this, interceptors);
    }

    /**
     * This transport's bus-level events — reconnects, dropped messages by
     * reason, broker flow control, outages — for a metrics or monitoring
     * module: {@code transport.events().subscribe(listener)}, or every
     * transport's with {@link TransportEvents#subscribeAll}. A view made by
     * {@link #intercept} shares its transport's events.
     */
    default TransportEvents events() {
        return DriverTransport.of(this).events();
    }

    /** Closes the transport; calls still waiting end in {@link MessagingException}. Idempotent. */
    @Override
    void close();
}

package io.jeventlet.rpc;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import io.jeventlet.rpc.spi.TransportOpts;
import java.util.List;

/**
 * The {@code rpc} option group: oslo.messaging's transport and RPC options
 * under their oslo names. The declarations live in the SPI's
 * {@link TransportOpts} (drivers read them too); this class registers the
 * group and names each option for the API's users. Defaults live in this module's
 * {@code reference.conf}; the group is found through
 * {@code META-INF/services/io.jeventlet.conf.OptGroupProvider}.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class RpcOpts implements OptGroupProvider {

    /** The {@code rpc} group. */
    public static final OptGroup RPC = TransportOpts.RPC;

    /** {@code rpc.transport_url}: where the bus is (inproc://NAME, zmq://..., rabbit://...). Secret: it may hold a password. */
    public static final Opt<String> TRANSPORT_URL = TransportOpts.TRANSPORT_URL;
    /** {@code rpc.response_timeout}: a call's default timeout. */
    public static final Opt<Double> RESPONSE_TIMEOUT = TransportOpts.RESPONSE_TIMEOUT;
    /** {@code rpc.response_max_timeout}: the cap of BackingOffClient's doubling. */
    public static final Opt<Double> RESPONSE_MAX_TIMEOUT = TransportOpts.RESPONSE_MAX_TIMEOUT;
    /** {@code rpc.executor_thread_pool_size}: green threads serving requests at once, per server. */
    public static final Opt<Integer> EXECUTOR_THREAD_POOL_SIZE = TransportOpts.EXECUTOR_THREAD_POOL_SIZE;
    /** {@code rpc.control_exchange}: the exchange of targets that name none. */
    public static final Opt<String> CONTROL_EXCHANGE = TransportOpts.CONTROL_EXCHANGE;
    /** {@code rpc.call_monitor_timeout}: unset, or seconds of server silence after which a call gives up. */
    public static final Opt<Double> CALL_MONITOR_TIMEOUT = TransportOpts.CALL_MONITOR_TIMEOUT;
    /** {@code rpc.max_message_size}: the largest message sent or accepted. */
    public static final Opt<Long> MAX_MESSAGE_SIZE = TransportOpts.MAX_MESSAGE_SIZE;
    /** {@code rpc.max_message_depth}: the deepest JSON nesting accepted. */
    public static final Opt<Integer> MAX_MESSAGE_DEPTH = TransportOpts.MAX_MESSAGE_DEPTH;
    /** {@code rpc.allowed_remote_exmods}: modules whose remote exceptions a client rebuilds (see {@link RemoteError}). */
    public static final Opt<List<String>> ALLOWED_REMOTE_EXMODS = TransportOpts.ALLOWED_REMOTE_EXMODS;

    /** {@code rpc.outage_warning_interval}: seconds between the WARN lines of a bus that cannot be reached. */
    public static final Opt<Double> OUTAGE_WARNING_INTERVAL = TransportOpts.OUTAGE_WARNING_INTERVAL;

    @Override
    public List<OptGroup> groups() {
        return List.of(RPC);
    }
}

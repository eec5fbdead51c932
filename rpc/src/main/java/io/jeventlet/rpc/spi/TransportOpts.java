package io.jeventlet.rpc.spi;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import java.util.List;

/**
 * The declarations of the {@code rpc} option group, shared by the API layer
 * and the drivers (a driver reads {@code rpc.max_message_size} or
 * {@code rpc.control_exchange} from its {@link DriverContext#conf()} with
 * these, needing nothing from the API package). {@code io.jeventlet.rpc.RpcOpts}
 * registers the group and re-exports every option under the same name.
 * Defaults live in the module's {@code reference.conf}.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class TransportOpts {
    private TransportOpts() {
    }

    /** The {@code rpc} group. */
    public static final OptGroup RPC = new OptGroup("rpc", "RPC: the transport and oslo.messaging's client and server options.");

    /** {@code rpc.transport_url}: where the bus is (inproc://NAME, zmq://..., rabbit://...). Secret: it may hold a password. */
    public static final Opt<String> TRANSPORT_URL = RPC.add(Opt.stringOpt("transport_url").secret()
            .help("The bus: inproc://NAME (one JVM), zmq://HOST:PORT[,HOST:PORT...] (through ZmqProxy),"
                    + " rabbit://USER:PASS@HOST:PORT[,...]/[VHOST] (RabbitMQ, oslo.messaging's wire format)."));
    /** {@code rpc.response_timeout}: a call's default timeout. */
    public static final Opt<Double> RESPONSE_TIMEOUT = RPC.add(Opt.durationOpt("response_timeout").greaterThan(0)
            .help("Seconds a call waits for its reply unless the client sets its own timeout."));
    /** {@code rpc.response_max_timeout}: the cap of BackingOffClient's doubling. */
    public static final Opt<Double> RESPONSE_MAX_TIMEOUT = RPC.add(Opt.durationOpt("response_max_timeout").greaterThan(0)
            .help("Largest timeout a backing-off client doubles a method's timeout to after MessagingTimeouts."));
    /** {@code rpc.executor_thread_pool_size}: green threads serving requests at once, per server. */
    public static final Opt<Integer> EXECUTOR_THREAD_POOL_SIZE = RPC.add(Opt.intOpt("executor_thread_pool_size")
            .min(1).max(100_000)
            .help("Requests a server runs at once, each in its own green thread (the size of its GreenPool)."));
    /** {@code rpc.control_exchange}: the exchange of targets that name none. */
    public static final Opt<String> CONTROL_EXCHANGE = RPC.add(Opt.stringOpt("control_exchange")
            .help("The exchange of targets that name none (oslo's control_exchange)."));
    /** {@code rpc.call_monitor_timeout}: unset, or seconds of server silence after which a call gives up. */
    public static final Opt<Double> CALL_MONITOR_TIMEOUT = RPC.add(Opt.durationOpt("call_monitor_timeout").greaterThan(0)
            .help("Unset, or seconds: the server sends a heartbeat every half of it while it works on a call,"
                    + " and the caller gives up once the server has been silent that long."));
    /** {@code rpc.max_message_size}: the largest message sent or accepted, on every bus and in both directions. */
    public static final Opt<Long> MAX_MESSAGE_SIZE = RPC.add(Opt.memorySizeOpt("max_message_size").min(1024)
            .help("Largest encoded message sent or accepted, in bytes; a larger one is refused with an error."));
    /** {@code rpc.max_message_depth}: the deepest JSON nesting accepted. */
    public static final Opt<Integer> MAX_MESSAGE_DEPTH = RPC.add(Opt.intOpt("max_message_depth").min(4).max(10_000)
            .help("Deepest nesting of JSON arrays and objects accepted in a message."));
    /** {@code rpc.allowed_remote_exmods}: modules whose remote exceptions a client rebuilds as its own classes. */
    public static final Opt<List<String>> ALLOWED_REMOTE_EXMODS = RPC.add(Opt.listOpt("allowed_remote_exmods")
            .help("Modules (Python) or packages (Java) of server exceptions that a client raises as instances of"
                    + " the class of that name, when it has one, instead of RemoteError."));
    /** {@code rpc.outage_warning_interval}: seconds between the WARN lines of a bus that cannot be reached. */
    public static final Opt<Double> OUTAGE_WARNING_INTERVAL = RPC.add(Opt.durationOpt("outage_warning_interval")
            .greaterThan(0)
            .help("While the bus (broker or proxy) cannot be reached, seconds between the WARN lines that say so"
                    + " with the latest cause; the first is logged at once."));
}

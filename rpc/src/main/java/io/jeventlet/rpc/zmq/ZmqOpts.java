package io.jeventlet.rpc.zmq;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import java.util.List;

/**
 * The {@code rpc_zmq} option group: the ZeroMQ transport's and {@link ZmqProxy}'s
 * settings. The largest message is {@code rpc.max_message_size}, shared with
 * the other buses. Defaults live in this module's {@code reference.conf}.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class ZmqOpts implements OptGroupProvider {

    /** The {@code rpc_zmq} group. */
    public static final OptGroup RPC_ZMQ = new OptGroup("rpc_zmq",
            "ZeroMQ transport (zmq://) and its proxy: addresses, liveness timings, CurveZMQ keys.");

    /** {@code rpc_zmq.bind_address}: the address a proxy started by ZmqProxyMain binds. */
    public static final Opt<String> BIND_ADDRESS = RPC_ZMQ.add(Opt.hostAddressOpt("bind_address")
            .help("Address ZmqProxyMain binds its ROUTER socket to; loopback unless you mean to serve other hosts."));
    /** {@code rpc_zmq.proxy_port}: the TCP port a proxy started by ZmqProxyMain binds. */
    public static final Opt<Integer> PROXY_PORT = RPC_ZMQ.add(Opt.intOpt("proxy_port").min(0).max(65535)
            .help("TCP port ZmqProxyMain binds; 0 picks a free one (logged at start)."));
    /** {@code rpc_zmq.heartbeat_interval}: seconds between a peer's REGISTER/PING renewals. */
    public static final Opt<Double> HEARTBEAT_INTERVAL = RPC_ZMQ.add(Opt.durationOpt("heartbeat_interval")
            .greaterThan(0).max(3600)
            .help("Seconds between two heartbeats of a server's registrations and of a peer's proxy liveness pings."));
    /** {@code rpc_zmq.registration_ttl}: seconds a registration lives without a heartbeat. */
    public static final Opt<Double> REGISTRATION_TTL = RPC_ZMQ.add(Opt.durationOpt("registration_ttl")
            .greaterThan(0).max(86_400)
            .help("Seconds a proxy keeps a server's registration after its last heartbeat;"
                    + " a proxy silent this long is taken as dead by its peers."));
    /** {@code rpc_zmq.connect_timeout}: how long a send waits for some proxy to be reachable. */
    public static final Opt<Double> CONNECT_TIMEOUT = RPC_ZMQ.add(Opt.durationOpt("connect_timeout")
            .greaterThan(0).max(3600)
            .help("Seconds a call (at most its own timeout) or a cast waits for a live proxy before it fails"
                    + " with MessageDeliveryFailure."));
    /** {@code rpc_zmq.curve_secret_key_file}: this peer's (or proxy's) CURVE certificate with its secret key. */
    public static final Opt<String> CURVE_SECRET_KEY_FILE = RPC_ZMQ.add(Opt.stringOpt("curve_secret_key_file")
            .help("Unset (no CurveZMQ), or a ZCert secret certificate file (mode 600 or stricter):"
                    + " the proxy's own key pair on a proxy, the peer's key pair on clients and servers."));
    /** {@code rpc_zmq.curve_proxy_public_key_file}: the proxy's public certificate, for clients and servers. */
    public static final Opt<String> CURVE_PROXY_PUBLIC_KEY_FILE = RPC_ZMQ.add(Opt.stringOpt("curve_proxy_public_key_file")
            .help("For clients and servers with CurveZMQ: the ZCert public certificate file of the proxies."));
    /** {@code rpc_zmq.curve_allowed_keys_dir}: on a proxy, the directory of peers' public certificates it accepts. */
    public static final Opt<String> CURVE_ALLOWED_KEYS_DIR = RPC_ZMQ.add(Opt.stringOpt("curve_allowed_keys_dir")
            .help("On a proxy with CurveZMQ: a directory of ZCert public certificate files; only those peers are let in."));

    /** {@code rpc_zmq.handshake_timeout}: how long a connection's ZMTP handshake may take before it is redialled. */
    public static final Opt<Double> HANDSHAKE_TIMEOUT = RPC_ZMQ.add(Opt.durationOpt("handshake_timeout")
            .greaterThan(0).max(3600)
            .help("Seconds a new connection's ZMTP handshake may take (ZMQ_HANDSHAKE_IVL) before it is dropped and"
                    + " redialled. JeroMQ 0.6.0 leaves a few in a hundred fresh outgoing connections stuck in the"
                    + " handshake (its I/O poller can miss the new channel's registration), so this is short."));
    /** {@code rpc_zmq.queue_hwm}: the bound of every queue of the transport, in messages. */
    public static final Opt<Integer> QUEUE_HWM = RPC_ZMQ.add(Opt.intOpt("queue_hwm").min(16).max(10_000_000)
            .help("Messages each queue holds at most: a proxy's queue to each peer, a link's outbound queue and"
                    + " socket, a server's requests waiting for a green thread. Beyond it a message is dropped"
                    + " and counted (a call's caller is told at once when it can be)."));
    /** {@code rpc_zmq.max_pending_calls}: calls a proxy remembers until answered. */
    public static final Opt<Integer> MAX_PENDING_CALLS = RPC_ZMQ.add(Opt.intOpt("max_pending_calls").min(16).max(100_000_000)
            .help("Calls a proxy has routed and not yet seen answered, at most; a call beyond is refused with ERROR."));
    /** {@code rpc_zmq.curve_serve_acl}: which CURVE client keys may serve which topics. */
    public static final Opt<List<String>> CURVE_SERVE_ACL = RPC_ZMQ.add(Opt.listOpt("curve_serve_acl")
            .help("On a proxy: TOPIC:KEY entries (either may be *) naming the CURVE public keys (Z85) that may"
                    + " register servers of a topic; a REGISTER outside the list is answered REFUSED. A peer"
                    + " without CurveZMQ matches only * keys."));

    @Override
    public List<OptGroup> groups() {
        return List.of(RPC_ZMQ);
    }
}

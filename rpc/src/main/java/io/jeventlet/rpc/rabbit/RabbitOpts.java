package io.jeventlet.rpc.rabbit;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import java.util.List;

/**
 * The {@code rabbit} option group: the {@code rabbit://} driver's options
 * under the names oslo.messaging gives them in {@code [oslo_messaging_rabbit]},
 * so an operator copies values across unchanged. Defaults are oslo 14's and
 * live in this module's {@code reference.conf}.
 *
 * <p>The queue options must equal those of every Python service on the same
 * broker: RabbitMQ refuses a second declaration of a queue with different
 * flags ({@code PRECONDITION_FAILED}).
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class RabbitOpts implements OptGroupProvider {

    /** The {@code rabbit} group. */
    public static final OptGroup RABBIT = new OptGroup("rabbit",
            "RabbitMQ (rabbit://): oslo.messaging's [oslo_messaging_rabbit] options under the same names.");

    /** {@code rabbit.amqp_durable_queues}: topic queues and exchanges survive a broker restart. */
    public static final Opt<Boolean> AMQP_DURABLE_QUEUES = RABBIT.add(Opt.boolOpt("amqp_durable_queues")
            .help("Declare the control exchange and the topic queues durable. Must match every oslo service"
                    + " on the broker."));
    /** {@code rabbit.amqp_auto_delete}: topic queues and exchanges vanish with their last consumer. */
    public static final Opt<Boolean> AMQP_AUTO_DELETE = RABBIT.add(Opt.boolOpt("amqp_auto_delete")
            .help("Declare the control exchange and the topic queues auto-delete. Must match every oslo service"
                    + " on the broker."));
    /** {@code rabbit.rabbit_ha_queues}: declare queues with {@code x-ha-policy: all}. */
    public static final Opt<Boolean> RABBIT_HA_QUEUES = RABBIT.add(Opt.boolOpt("rabbit_ha_queues")
            .help("Declare queues with x-ha-policy=all (classic mirrored queues). Conflicts with rabbit_quorum_queue."));
    /** {@code rabbit.rabbit_quorum_queue}: declare topic queues as quorum queues (durable). */
    public static final Opt<Boolean> RABBIT_QUORUM_QUEUE = RABBIT.add(Opt.boolOpt("rabbit_quorum_queue")
            .help("Declare the topic queues with x-queue-type=quorum; they are then durable whatever"
                    + " amqp_durable_queues says. Conflicts with rabbit_ha_queues."));
    /** {@code rabbit.rabbit_transient_queues_ttl}: {@code x-expires} of reply and fanout queues. */
    public static final Opt<Integer> RABBIT_TRANSIENT_QUEUES_TTL = RABBIT.add(Opt.intOpt("rabbit_transient_queues_ttl")
            .min(0).max(Integer.MAX_VALUE / 1000)
            .help("Seconds an unused reply or fanout queue lives before the broker deletes it (x-expires); 0 sets"
                    + " no x-expires (then a broker policy must delete them). With rabbit_stream_fanout, the"
                    + " stream's x-max-age instead."));
    /** {@code rabbit.rabbit_transient_quorum_queue}: reply and fanout queues as quorum queues. */
    public static final Opt<Boolean> RABBIT_TRANSIENT_QUORUM_QUEUE = RABBIT.add(
            Opt.boolOpt("rabbit_transient_quorum_queue")
            .help("Declare the reply and fanout queues as quorum queues (durable, replicated)."));
    /** {@code rabbit.rabbit_quorum_delivery_limit}: x-delivery-limit of quorum queues; 0 sets none. */
    public static final Opt<Integer> RABBIT_QUORUM_DELIVERY_LIMIT = RABBIT.add(
            Opt.intOpt("rabbit_quorum_delivery_limit")
            .help("x-delivery-limit of the quorum queues: redeliveries before a message is dropped or"
                    + " dead-lettered; 0 sets no limit."));
    /** {@code rabbit.rabbit_quorum_max_memory_length}: x-max-in-memory-length of quorum queues; 0 sets none. */
    public static final Opt<Integer> RABBIT_QUORUM_MAX_MEMORY_LENGTH = RABBIT.add(
            Opt.intOpt("rabbit_quorum_max_memory_length").deprecatedNames("rabbit_quroum_max_memory_length")
            .help("x-max-in-memory-length of the quorum queues (messages held in memory); 0 sets no limit."));
    /** {@code rabbit.rabbit_quorum_max_memory_bytes}: x-max-in-memory-bytes of quorum queues; 0 sets none. */
    public static final Opt<Integer> RABBIT_QUORUM_MAX_MEMORY_BYTES = RABBIT.add(
            Opt.intOpt("rabbit_quorum_max_memory_bytes").deprecatedNames("rabbit_quroum_max_memory_bytes")
            .help("x-max-in-memory-bytes of the quorum queues (bytes held in memory); 0 sets no limit."));
    /** {@code rabbit.rabbit_stream_fanout}: one stream queue per fanout topic instead of a queue per server. */
    public static final Opt<Boolean> RABBIT_STREAM_FANOUT = RABBIT.add(Opt.boolOpt("rabbit_stream_fanout")
            .help("Use one stream queue (x-queue-type=stream) <topic>_fanout for each fanout topic instead of a"
                    + " queue per server; needs rabbit_transient_quorum_queue and rabbit_qos_prefetch_count > 0."));
    /** {@code rabbit.enable_cancel_on_failover}: consumers declared with x-cancel-on-ha-failover. */
    public static final Opt<Boolean> ENABLE_CANCEL_ON_FAILOVER = RABBIT.add(Opt.boolOpt("enable_cancel_on_failover")
            .help("Consume with x-cancel-on-ha-failover=true: the broker cancels a consumer whose mirrored queue"
                    + " fails over, and the server consumes again."));
    /** {@code rabbit.use_queue_manager}: stable reply and fanout queue names. */
    public static final Opt<Boolean> USE_QUEUE_MANAGER = RABBIT.add(Opt.boolOpt("use_queue_manager")
            .help("Name reply and fanout queues <hostname>:<processname>:<n> instead of random names, so a"
                    + " restarted service reuses its queues (they are then left to x-expires at close)."));
    /** {@code rabbit.hostname}: the queue manager's host part. */
    public static final Opt<String> HOSTNAME = RABBIT.add(Opt.stringOpt("hostname")
            .help("Host name in the queue manager's queue names; unset means this host's name."));
    /** {@code rabbit.processname}: the queue manager's process part. */
    public static final Opt<String> PROCESSNAME = RABBIT.add(Opt.stringOpt("processname")
            .help("Process name in the queue manager's queue names; unset means the main class's simple name."));
    /** {@code rabbit.rabbit_login_method}: the SASL mechanism. */
    public static final Opt<String> RABBIT_LOGIN_METHOD = RABBIT.add(Opt.stringOpt("rabbit_login_method")
            .choices("PLAIN", "AMQPLAIN", "EXTERNAL", "RABBIT-CR-DEMO")
            .help("Login mechanism: PLAIN and AMQPLAIN send the URL's user and password (both as PLAIN, which"
                    + " RabbitMQ treats alike); EXTERNAL logs in as the TLS client certificate (ssl_cert_file)."
                    + " RABBIT-CR-DEMO is refused."));
    /** {@code rabbit.kombu_reconnect_delay}: pause before reconnecting after a publish error or consumer cancel. */
    public static final Opt<Double> KOMBU_RECONNECT_DELAY = RABBIT.add(Opt.durationOpt("kombu_reconnect_delay")
            .min(0).max(4.5)
            .help("Seconds to wait before opening a new channel after a publish error (a nack, a closed channel)"
                    + " or a consumer cancel notification."));
    /** {@code rabbit.kombu_reconnect_splay}: random extra wait added to kombu_reconnect_delay. */
    public static final Opt<Double> KOMBU_RECONNECT_SPLAY = RABBIT.add(Opt.durationOpt("kombu_reconnect_splay")
            .min(0)
            .help("Largest random extra wait added to kombu_reconnect_delay, so many clients do not retry at once."));
    /** {@code rabbit.kombu_missing_consumer_retry_timeout}: how long a reply to a missing reply queue is retried. */
    public static final Opt<Integer> KOMBU_MISSING_CONSUMER_RETRY_TIMEOUT = RABBIT.add(
            Opt.intOpt("kombu_missing_consumer_retry_timeout").min(0)
            .deprecatedNames("kombu_reconnect_timeout")
            .help("Seconds a reply whose reply queue does not exist (NO_ROUTE) is published again, every 0.25 s,"
                    + " before it is dropped; capped by the call's own timeout."));
    /** {@code rabbit.rabbit_cast_confirm}: false makes a cast return once written, without the broker's confirm. */
    public static final Opt<Boolean> RABBIT_CAST_CONFIRM = RABBIT.add(Opt.boolOpt("rabbit_cast_confirm")
            .help("jeventlet: true (default) returns from a cast once the broker confirmed it; false returns once"
                    + " it is written to the connection, as oslo's casts (faster; a cast the broker drops or a"
                    + " connection loses is then not reported)."));
    /** {@code rabbit.rabbit_max_pending_confirms}: unconfirmed publishes per connection before sends wait. */
    public static final Opt<Integer> RABBIT_MAX_PENDING_CONFIRMS = RABBIT.add(
            Opt.intOpt("rabbit_max_pending_confirms").min(1).max(1_000_000)
            .help("jeventlet: publishes a connection may have awaiting the broker's confirm; the next one waits"
                    + " (at most its sender's timeout) until the broker confirmed some. Bounds memory under a flood."));
    /** {@code rabbit.rabbit_qos_prefetch_count}: unacknowledged requests per consumer; 0 means the server's pool size. */
    public static final Opt<Integer> RABBIT_QOS_PREFETCH_COUNT = RABBIT.add(Opt.intOpt("rabbit_qos_prefetch_count")
            .min(0).max(65535)
            .help("Requests each of a server's consumers (topic, topic.server, fanout) holds unacknowledged;"
                    + " 0 means no limit, as oslo (the broker sends all it has; set a value to bound a server's"
                    + " memory under a flood)."));
    /** {@code rabbit.rabbit_retry_interval}: the first reconnect delay. */
    public static final Opt<Double> RABBIT_RETRY_INTERVAL = RABBIT.add(Opt.durationOpt("rabbit_retry_interval").min(0)
            .help("Seconds before the first reconnection attempt after the broker was lost."));
    /** {@code rabbit.rabbit_retry_backoff}: added to the delay after each failed attempt. */
    public static final Opt<Double> RABBIT_RETRY_BACKOFF = RABBIT.add(Opt.durationOpt("rabbit_retry_backoff").min(0)
            .help("Seconds added to the reconnection delay after each failed attempt."));
    /** {@code rabbit.rabbit_interval_max}: the largest reconnect delay. */
    public static final Opt<Double> RABBIT_INTERVAL_MAX = RABBIT.add(Opt.durationOpt("rabbit_interval_max").greaterThan(0)
            .help("Largest delay between two reconnection attempts, in seconds."));
    /** {@code rabbit.heartbeat_timeout_threshold}: AMQP heartbeat timeout; 0 turns heartbeats off. */
    public static final Opt<Integer> HEARTBEAT_TIMEOUT_THRESHOLD = RABBIT.add(Opt.intOpt("heartbeat_timeout_threshold")
            .min(0).max(65535)
            .help("Seconds of silence after which the broker (or this side) declares the connection dead;"
                    + " AMQP heartbeats are sent at half of it. 0 turns heartbeats off."));
    /** {@code rabbit.kombu_failover_strategy}: the order in which the URL's hosts are tried. */
    public static final Opt<String> KOMBU_FAILOVER_STRATEGY = RABBIT.add(Opt.stringOpt("kombu_failover_strategy")
            .choices("round-robin", "shuffle")
            .help("Order of the URL's hosts when (re)connecting: round-robin (the URL's order) or shuffle."));
    /** {@code rabbit.ssl}: connect with TLS (the JDK's). */
    public static final Opt<Boolean> SSL = RABBIT.add(Opt.boolOpt("ssl")
            .help("Connect with TLS (default port 5671). The broker's certificate is verified against"
                    + " ssl_ca_file, or the JDK's trust store when that is unset."));
    /** {@code rabbit.ssl_ca_file}: PEM file of the CA certificates that sign the broker's certificate. */
    public static final Opt<String> SSL_CA_FILE = RABBIT.add(Opt.stringOpt("ssl_ca_file")
            .help("PEM file with the CA certificate(s) the broker's certificate must chain to."));
    /** {@code rabbit.ssl_cert_file}: PEM client certificate presented to the broker (with ssl_key_file). */
    public static final Opt<String> SSL_CERT_FILE = RABBIT.add(Opt.stringOpt("ssl_cert_file")
            .help("PEM file with the client certificate (and any intermediates) presented to the broker;"
                    + " set together with ssl_key_file."));
    /** {@code rabbit.ssl_key_file}: the unencrypted PKCS#8 PEM private key of ssl_cert_file. */
    public static final Opt<String> SSL_KEY_FILE = RABBIT.add(Opt.stringOpt("ssl_key_file")
            .help("PEM file with the private key of ssl_cert_file, unencrypted PKCS#8 (BEGIN PRIVATE KEY);"
                    + " convert an RSA key with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY8."));
    /** {@code rabbit.ssl_version}: the TLS protocol version. */
    public static final Opt<String> SSL_VERSION = RABBIT.add(Opt.stringOpt("ssl_version")
            .help("TLS protocol version, in oslo's spellings (any case): tlsv1_2, tlsv1_3, TLSv1.2, TLSv1.3;"
                    + " sslv23 or unset lets the JDK negotiate; tlsv1 and tlsv1_1 are refused (the JDK disables them)."));

    @Override
    public List<OptGroup> groups() {
        return List.of(RABBIT);
    }
}

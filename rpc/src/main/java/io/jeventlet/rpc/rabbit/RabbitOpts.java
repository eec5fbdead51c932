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
            .min(1).max(Integer.MAX_VALUE / 1000)
            .help("Seconds an unused reply or fanout queue lives before the broker deletes it (x-expires)."));
    /** {@code rabbit.rabbit_qos_prefetch_count}: unacknowledged requests per consumer; 0 means the server's pool size. */
    public static final Opt<Integer> RABBIT_QOS_PREFETCH_COUNT = RABBIT.add(Opt.intOpt("rabbit_qos_prefetch_count")
            .min(0).max(65535)
            .help("Requests each of a server's consumers (topic, topic.server, fanout) holds unacknowledged; 0 means rpc.executor_thread_pool_size (its GreenPool)."));
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
            .choices("TLSv1.2", "TLSv1.3")
            .help("TLS protocol version to use (TLSv1.2 or TLSv1.3); unset lets the JDK negotiate."));

    @Override
    public List<OptGroup> groups() {
        return List.of(RABBIT);
    }
}

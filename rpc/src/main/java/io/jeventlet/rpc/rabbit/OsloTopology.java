package io.jeventlet.rpc.rabbit;

import io.jeventlet.rpc.spi.Ids;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exchanges and queues oslo.messaging's rabbit driver
 * ({@code impl_rabbit.py}, 2024.x and later) declares, with the same names,
 * flags and arguments, so that jeventlet and Python services declare
 * identical entities and the broker accepts both. Immutable and thread-safe
 * (the queue manager's counter is atomic).
 *
 * <ul>
 *   <li>control exchange ({@code rpc.control_exchange} or the target's):
 *       topic, durable = {@link #durable()}, auto-delete = {@code amqp_auto_delete};</li>
 *   <li>{@code <topic>} and {@code <topic>.<server>} queues bound to it under
 *       their own names: same flags; {@code x-ha-policy}, or {@code x-queue-type: quorum}
 *       with {@code x-delivery-limit}, {@code x-max-in-memory-length/bytes} when set; no TTL;</li>
 *   <li>{@code <topic>_fanout}: fanout exchange, not durable, auto-delete;
 *       per-server queue {@code <topic>_fanout_<uuid hex>} bound with routing
 *       key {@code <topic>}: durable only with {@code rabbit_transient_quorum_queue},
 *       not auto-delete, {@code x-expires} (quorum arguments when transient quorum);
 *       with {@code rabbit_stream_fanout} one shared durable stream queue
 *       {@code <topic>_fanout} with {@code x-max-age} instead;</li>
 *   <li>{@code reply_<uuid hex>}: as a fanout queue (never a stream), no binding
 *       (replies go through the default exchange).</li>
 * </ul>
 * With {@code use_queue_manager} the {@code <uuid hex>} parts are
 * {@code <hostname>:<processname>:<n>}, stable across restarts of a process.
 *
 * @param durableQueues      {@code amqp_durable_queues}
 * @param autoDelete         {@code amqp_auto_delete}
 * @param haQueues           {@code rabbit_ha_queues}
 * @param quorum             {@code rabbit_quorum_queue}
 * @param transientQuorum    {@code rabbit_transient_quorum_queue}
 * @param deliveryLimit      {@code rabbit_quorum_delivery_limit} (0: unset)
 * @param maxMemoryLength    {@code rabbit_quorum_max_memory_length} (0: unset)
 * @param maxMemoryBytes     {@code rabbit_quorum_max_memory_bytes} (0: unset)
 * @param transientTtlSeconds {@code rabbit_transient_queues_ttl} (0: no x-expires / x-max-age)
 * @param streamFanout       {@code rabbit_stream_fanout}
 * @param cancelOnFailover   {@code enable_cancel_on_failover}
 * @param queueManager       null, or the {@code <hostname>:<processname>} prefix of {@code use_queue_manager}
 */
record OsloTopology(boolean durableQueues, boolean autoDelete, boolean haQueues, boolean quorum,
                    boolean transientQuorum, int deliveryLimit, int maxMemoryLength, int maxMemoryBytes,
                    int transientTtlSeconds, boolean streamFanout, boolean cancelOnFailover, String queueManager) {

    /** The queue manager's counter (oslo keeps it per host and process name in shared memory). */
    private static final AtomicInteger QUEUE_COUNTER = new AtomicInteger();

    /** Reads the {@code rabbit} group through {@code opts} (the URL's query may override it). */
    static OsloTopology from(RabbitSettings opts) {
        boolean ha = opts.get(RabbitOpts.RABBIT_HA_QUEUES);
        boolean quorum = opts.get(RabbitOpts.RABBIT_QUORUM_QUEUE);
        if (ha && quorum) {
            // oslo raises the same configuration error.
            throw new IllegalArgumentException("rabbit.rabbit_ha_queues and rabbit.rabbit_quorum_queue are both true;"
                    + " a queue is either mirrored or quorum, set at most one of them");
        }
        boolean stream = opts.get(RabbitOpts.RABBIT_STREAM_FANOUT);
        boolean transientQuorum = opts.get(RabbitOpts.RABBIT_TRANSIENT_QUORUM_QUEUE);
        if (stream && opts.get(RabbitOpts.RABBIT_QOS_PREFETCH_COUNT) <= 0) {
            throw new IllegalArgumentException("rabbit.rabbit_stream_fanout needs rabbit.rabbit_qos_prefetch_count > 0"
                    + " (a stream is consumed with a prefetch limit), as oslo requires");
        }
        if (stream && !transientQuorum) {
            throw new IllegalArgumentException("rabbit.rabbit_stream_fanout needs rabbit.rabbit_transient_quorum_queue"
                    + " = true, as oslo requires");
        }
        String qm = opts.get(RabbitOpts.USE_QUEUE_MANAGER)
                ? orDefault(opts.get(RabbitOpts.HOSTNAME), OsloTopology::localHostName) + ":"
                        + orDefault(opts.get(RabbitOpts.PROCESSNAME), OsloTopology::mainName) : null;
        return new OsloTopology(opts.get(RabbitOpts.AMQP_DURABLE_QUEUES), opts.get(RabbitOpts.AMQP_AUTO_DELETE),
                ha, quorum, transientQuorum, opts.get(RabbitOpts.RABBIT_QUORUM_DELIVERY_LIMIT),
                opts.get(RabbitOpts.RABBIT_QUORUM_MAX_MEMORY_LENGTH), opts.get(RabbitOpts.RABBIT_QUORUM_MAX_MEMORY_BYTES),
                opts.get(RabbitOpts.RABBIT_TRANSIENT_QUEUES_TTL), stream,
                opts.get(RabbitOpts.ENABLE_CANCEL_ON_FAILOVER), qm);
    }

    private static String orDefault(String value, java.util.function.Supplier<String> fallback) {
        return value == null || value.isBlank() ? fallback.get() : value;
    }

    /** oslo's {@code socket.gethostname()}. */
    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** oslo's {@code basename(sys.argv[0])}: the main class's simple name (or the jar's file name). */
    private static String mainName() {
        String cmd = System.getProperty("sun.java.command", "java").split(" ")[0];
        int cut = Math.max(cmd.lastIndexOf('.'), cmd.lastIndexOf('/'));
        return cmd.endsWith(".jar") ? cmd.substring(cmd.lastIndexOf('/') + 1) : cmd.substring(cut + 1);
    }

    /** oslo's {@code Connection.durable}: quorum queues are always durable. */
    boolean durable() {
        return durableQueues || quorum;
    }

    /** Arguments of the topic and {@code topic.server} queues. */
    Map<String, Object> topicQueueArguments() {
        return arguments(quorum, 0, false);
    }

    /** Durability of reply queues: oslo declares them durable only as transient quorum queues. */
    boolean replyDurable() {
        return transientQuorum;
    }

    /** Arguments of reply queues: transient quorum or classic, with the transient TTL. */
    Map<String, Object> replyQueueArguments() {
        return arguments(transientQuorum, transientTtlSeconds, false);
    }

    /** Durability of fanout queues. */
    boolean fanoutDurable() {
        return transientQuorum || streamFanout;
    }

    /** Arguments of fanout queues: a stream with x-max-age, or as a reply queue. */
    Map<String, Object> fanoutQueueArguments() {
        return arguments(transientQuorum, transientTtlSeconds, streamFanout);
    }

    /** Consumer arguments: x-cancel-on-ha-failover, or a stream's offset. */
    Map<String, Object> consumerArguments(boolean streamQueue, Object streamOffset) {
        Map<String, Object> args = new HashMap<>();
        if (cancelOnFailover) {
            args.put("x-cancel-on-ha-failover", true);
        }
        if (streamQueue) {
            // oslo replaces the consumer arguments with the offset for a stream.
            args.clear();
            args.put("x-stream-offset", streamOffset);
        }
        return args;
    }

    private Map<String, Object> arguments(boolean quorumQueue, int ttlSeconds, boolean stream) {
        Map<String, Object> args = new HashMap<>();
        if (stream) {
            args.put("x-queue-type", "stream");
            if (ttlSeconds > 0) {
                args.put("x-max-age", ttlSeconds + "s");
            }
            return Collections.unmodifiableMap(args);
        }
        if (haQueues) {
            args.put("x-ha-policy", "all");
        }
        if (quorumQueue) {
            args.put("x-queue-type", "quorum");
            if (deliveryLimit != 0) {
                args.put("x-delivery-limit", deliveryLimit);
            }
            if (maxMemoryLength != 0) {
                args.put("x-max-in-memory-length", maxMemoryLength);
            }
            if (maxMemoryBytes != 0) {
                args.put("x-max-in-memory-bytes", maxMemoryBytes);
            }
        }
        if (ttlSeconds > 0) {
            // Python sends an int; a Java Integer encodes as the same AMQP signed 32-bit field.
            args.put("x-expires", ttlSeconds * 1000);
        }
        return Collections.unmodifiableMap(args);
    }

    /** The fanout exchange of {@code topic}. */
    static String fanoutExchange(String topic) {
        return topic + "_fanout";
    }

    /** A server's fanout queue for {@code topic}: the shared stream, or a new per-server name. */
    String fanoutQueue(String topic) {
        return streamFanout ? fanoutExchange(topic) : topic + "_fanout_" + unique();
    }

    /** True if fanout queues are per server and freed by their server at close (oslo: not streams, not managed names). */
    boolean fanoutQueueOwned() {
        return !streamFanout && queueManager == null;
    }

    /** A new reply queue name, {@code reply_<uuid hex>} or the queue manager's. */
    String newReplyQueue() {
        return "reply_" + unique();
    }

    private String unique() {
        return queueManager != null ? queueManager + ":" + QUEUE_COUNTER.incrementAndGet() : uuidHex();
    }

    /** A new reply queue name, {@code reply_<uuid hex>}. */
    static String replyQueue() {
        return "reply_" + uuidHex();
    }

    /** Python's {@code uuid.uuid4().hex}: 32 lower-case hex digits (the SPI's one source of ids). */
    static String uuidHex() {
        return Ids.uuidHex();
    }
}

package io.jeventlet.rpc.rabbit;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Ids;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The exchanges and queues oslo.messaging's rabbit driver (14.x,
 * {@code impl_rabbit.py}) declares, with the same names, flags and
 * arguments, so that jeventlet and Python services declare identical
 * entities and the broker accepts both. Immutable and thread-safe.
 *
 * <ul>
 *   <li>control exchange ({@code rpc.control_exchange} or the target's):
 *       topic, durable = {@link #durable()}, auto-delete = {@code amqp_auto_delete};</li>
 *   <li>{@code <topic>} and {@code <topic>.<server>} queues bound to it under
 *       their own names: same flags, arguments {@code x-ha-policy} /
 *       {@code x-queue-type} (no TTL);</li>
 *   <li>{@code <topic>_fanout}: fanout exchange, not durable, auto-delete;
 *       per-server queue {@code <topic>_fanout_<uuid hex>} bound with routing
 *       key {@code <topic>}: not durable, not auto-delete, {@code x-expires};</li>
 *   <li>{@code reply_<uuid hex>}: not durable, not auto-delete,
 *       {@code x-expires}, no binding (replies go through the default exchange).</li>
 * </ul>
 */
record OsloTopology(boolean durableQueues, boolean autoDelete, boolean haQueues, boolean quorum, int transientTtlSeconds) {

    /** Reads the {@code rabbit} group of {@code conf}. */
    static OsloTopology from(ConfigOpts conf) {
        boolean ha = conf.get(RabbitOpts.RABBIT_HA_QUEUES);
        boolean quorum = conf.get(RabbitOpts.RABBIT_QUORUM_QUEUE);
        if (ha && quorum) {
            // oslo raises the same configuration error.
            throw new IllegalArgumentException("rabbit.rabbit_ha_queues and rabbit.rabbit_quorum_queue are both true;"
                    + " a queue is either mirrored or quorum, set at most one of them");
        }
        return new OsloTopology(conf.get(RabbitOpts.AMQP_DURABLE_QUEUES), conf.get(RabbitOpts.AMQP_AUTO_DELETE),
                ha, quorum, conf.get(RabbitOpts.RABBIT_TRANSIENT_QUEUES_TTL));
    }

    /** oslo's {@code Connection.durable}: quorum queues are always durable. */
    boolean durable() {
        return durableQueues || quorum;
    }

    /** Arguments of the topic and {@code topic.server} queues. */
    Map<String, Object> topicQueueArguments() {
        return arguments(quorum, 0);
    }

    /** Arguments of fanout and reply queues: never quorum, with the transient TTL. */
    Map<String, Object> transientQueueArguments() {
        return arguments(false, transientTtlSeconds);
    }

    private Map<String, Object> arguments(boolean quorumQueue, int ttlSeconds) {
        Map<String, Object> args = new HashMap<>();
        if (haQueues) {
            args.put("x-ha-policy", "all");
        }
        if (quorumQueue) {
            args.put("x-queue-type", "quorum");
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

    /** A new per-server fanout queue name for {@code topic}. */
    static String fanoutQueue(String topic) {
        return topic + "_fanout_" + Ids.uuidHex();
    }

    /** A new reply queue name, {@code reply_<uuid hex>}. */
    static String replyQueue() {
        return "reply_" + Ids.uuidHex();
    }
}

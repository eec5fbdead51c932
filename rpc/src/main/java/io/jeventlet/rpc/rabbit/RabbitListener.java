package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import java.io.IOException;

/**
 * A server's consumption of its target, as oslo's {@code listen}: the
 * {@code <topic>} and {@code <topic>.<server>} queues bound to the target's
 * exchange, and its own {@code <topic>_fanout_<uuid>} queue bound to the
 * topic's fanout exchange, all consumed on one channel, each consumer with a
 * prefetch of the server's pool size (per consumer, as oslo's). Thread-safe.
 *
 * <p>Lifecycle:
 * <pre>
 * DECLARED -> CONSUMING  // declare() on the I/O thread, at listen() and after every reconnect
 * CONSUMING -> STOPPED   // stop(): consumers cancelled; deliveries already handed over stay the server's
 * any -> CLOSED          // close(): channel closed (unacknowledged requests go back to their queue),
 *                        //          fanout queue deleted
 * </pre>
 *
 * <p>Overview: a delivery is handed to the core's {@link IncomingHandler}
 * on amqp-client's reader thread ({@link DirectDispatch}), which the handler does not block (it
 * hands the message to its hub). The consumers' lifecycle (channel,
 * re-declaration, the cancels of {@link #stop()} off the I/O thread) is
 * {@link ChannelConsumers}'s: stop waits for the broker's {@code cancel-ok}
 * as amqp-client dispatches it, after every delivery that preceded it, so no
 * request reaches the handler after stop returns.
 */
final class RabbitListener implements Listener, BrokerConnection.Declarable {
    private final RabbitDriver driver;
    private final Address target;
    private final String exchange;
    private final String fanoutQueue;
    private final int prefetch;
    private final IncomingHandler handler;
    private final OsloTopology topology;
    private final ChannelConsumers consumers;
    /** The stream offset to consume the fanout stream from after a reconnect ("last" at first, as oslo). */
    private volatile Object nextStreamOffset = "last";

    RabbitListener(RabbitDriver driver, Address target, String exchange, int prefetch, IncomingHandler handler,
                   OsloTopology topology) {
        this.driver = driver;
        this.target = target;
        this.exchange = exchange;
        this.fanoutQueue = topology.fanoutQueue(target.topic());
        this.prefetch = prefetch;
        this.handler = handler;
        this.topology = topology;
        this.consumers = new ChannelConsumers(driver.io(), this);
    }

    @Override
    public void declare(Connection connection) throws IOException {
        if (consumers.stopped()) {
            return;
        }
        ChannelConsumers.Round round = consumers.begin(connection, prefetch);
        Channel ch = round.channel();
        try {
            String topic = target.topic();
            String direct = topic + "." + target.server();
            boolean durable = topology.durable();
            boolean autoDelete = topology.autoDelete();
            ch.exchangeDeclare(exchange, "topic", durable, autoDelete, null);
            ch.queueDeclare(topic, durable, false, autoDelete, topology.topicQueueArguments());
            ch.queueBind(topic, exchange, topic);
            ch.queueDeclare(direct, durable, false, autoDelete, topology.topicQueueArguments());
            ch.queueBind(direct, exchange, direct);
            String fanout = OsloTopology.fanoutExchange(topic);
            ch.exchangeDeclare(fanout, "fanout", false, true, null);
            ch.queueDeclare(fanoutQueue, topology.fanoutDurable(), false, false, topology.fanoutQueueArguments());
            ch.queueBind(fanoutQueue, fanout, topic);
            for (String q : java.util.List.of(topic, direct, fanoutQueue)) {
                boolean stream = topology.streamFanout() && q.equals(fanoutQueue);
                round.consume(q, topology.consumerArguments(stream, nextStreamOffset), (c, env, props, body) -> {
                    if (stream && props.getHeaders() != null
                            && props.getHeaders().get("x-stream-offset") instanceof Number n) {
                        nextStreamOffset = n.longValue() + 1;
                    }
                    handler.onMessage(new RabbitIncomingMessage(driver, c, env.getDeliveryTag(), body,
                            props.getExpiration()));
                });
            }
            round.commit();
        } catch (IOException | RuntimeException e) {
            round.abandon();
            throw e;
        }
    }

    @Override
    public void stop() {
        consumers.stop();
    }

    @Override
    public void close() {
        consumers.close(ch -> {
            if (topology.fanoutQueueOwned()) {
                // Our fanout queue has no other consumer; oslo leaves it to x-expires, we free it now.
                // A stream or a queue manager's stable name is shared or reused: left alone, as oslo.
                ch.queueDelete(fanoutQueue);
            }
        });
    }

    @Override
    public String toString() {
        return "the queues of server " + target.topic() + "." + target.server() + " (" + target.topic() + ", "
                + target.topic() + "." + target.server() + ", " + fanoutQueue + " on exchange " + exchange + ")";
    }
}

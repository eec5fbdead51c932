package io.jeventlet.rpc.rabbit;

import com.rabbitmq.client.AMQP;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.DriverTimeoutException;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.NotificationDriver;
import io.jeventlet.rpc.spi.TransportOpts;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Notifications on {@code rabbit://}, as oslo 14's rabbit driver sends and
 * consumes them. Thread-safe.
 *
 * <p>Sending ({@code notify_send}): the exchange is declared topic with the
 * control exchange's flags; before the first publish to a routing key on a
 * connection, the queue named after the key is declared with the topic
 * queues' flags and arguments and bound to it under that key (oslo's
 * {@code _publish_and_creates_default_queue}), so a notification sent
 * before any listener waits there; then the message is published (not
 * mandatory) with oslo's properties and, beyond oslo, a publisher confirm
 * awaited, so a returned send means the broker has it.
 *
 * <p>Retry: -1 waits for the broker as long as it takes (oslo's default); 0
 * gives up at once when not connected; N waits as long as N reconnect
 * attempts take with the {@code rabbit_retry_*} back-off (the I/O thread
 * reconnects on its own schedule, so the retry bounds the caller's wait,
 * not the attempts). Once connected, the confirm is awaited up to
 * {@code rpc.response_timeout}. A send given up is never published late.
 */
final class RabbitNotifications implements NotificationDriver {
    private final RabbitDriver driver;
    private final BrokerConnection io;
    private final OsloTopology topology;
    private final ConfigOpts conf;
    private final double confirmTimeout;

    // I/O thread only: routing keys whose default queue was declared on the current publish channel.
    private final Set<String> declaredQueues = new HashSet<>();
    private Publisher declaredOn;

    RabbitNotifications(RabbitDriver driver, BrokerConnection io, OsloTopology topology, ConfigOpts conf) {
        this.driver = driver;
        this.io = io;
        this.topology = topology;
        this.conf = conf;
        this.confirmTimeout = conf.get(TransportOpts.RESPONSE_TIMEOUT);
    }

    /** Seconds {@code retry} reconnect attempts take with oslo's back-off (kombu's ensure schedule). */
    double retryBudget(int retry) {
        if (retry < 0) {
            return Double.POSITIVE_INFINITY;
        }
        double interval = conf.get(RabbitOpts.RABBIT_RETRY_INTERVAL);
        double backoff = conf.get(RabbitOpts.RABBIT_RETRY_BACKOFF);
        double max = conf.get(RabbitOpts.RABBIT_INTERVAL_MAX);
        double total = 0;
        for (int i = 0; i < retry; i++) {
            total += Math.min(interval + i * backoff, max);
        }
        return total;
    }

    @Override
    public void sendNotification(String exchange, String routingKey, byte[] body, int retry) {
        if (retry == 0 && !io.connected()) {
            throw new DriverException("the broker " + io.describe() + " is not connected and retry is 0;"
                    + " notification to '" + routingKey + "' not sent");
        }
        double wait = retry < 0 ? Double.POSITIVE_INFINITY
                : (io.connected() ? 0 : retryBudget(retry)) + confirmTimeout;
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .priority(0)
                .build();
        Completion done = new Completion();
        boolean durable = topology.durable();
        boolean autoDelete = topology.autoDelete();
        io.submit(new BrokerConnection.IoTask() {
            @Override
            public void run(BrokerConnection c) throws IOException {
                c.declareExchangeOnce(exchange, "topic", durable, autoDelete);
                Publisher p = c.publisher();
                if (p != declaredOn) {
                    declaredQueues.clear();
                    declaredOn = p;
                }
                if (declaredQueues.add(exchange + "/" + routingKey)) {
                    try {
                        p.channel().queueDeclare(routingKey, durable, false, autoDelete,
                                topology.topicQueueArguments());
                        p.channel().queueBind(routingKey, exchange, routingKey);
                    } catch (IOException | RuntimeException e) {
                        declaredQueues.remove(exchange + "/" + routingKey);
                        throw e;
                    }
                }
                c.publisher().publish(exchange, routingKey, false, props, body, done);
            }

            @Override
            public void fail(Throwable error) {
                done.fail(error);
            }

            @Override
            public boolean abandoned() {
                return done.done();
            }
        });
        if (!done.await(wait)) {
            DriverTimeoutException timeout = new DriverTimeoutException("the broker " + io.describe() + " did not take the"
                    + " notification to exchange '" + exchange + "' routing key '" + routingKey + "' within " + wait
                    + " s (retry " + retry + (io.connected() ? ")" : "; not connected)"));
            done.fail(timeout);
            throw timeout;
        }
    }

    @Override
    public Listener listenForNotifications(List<Binding> bindings, String pool, IncomingHandler handler) {
        // 0: the listener's pool size, so a listener holds no more unacknowledged notifications than it runs
        // at once and the rest stay on the broker for the pool's other members.
        int prefetch = conf.get(RabbitOpts.RABBIT_QOS_PREFETCH_COUNT);
        if (prefetch == 0) {
            prefetch = conf.get(TransportOpts.EXECUTOR_THREAD_POOL_SIZE);
        }
        RabbitNotificationListener listener = new RabbitNotificationListener(driver, bindings, pool, prefetch, handler,
                topology);
        driver.declareAndRegister(listener, listener::close);
        return listener;
    }
}

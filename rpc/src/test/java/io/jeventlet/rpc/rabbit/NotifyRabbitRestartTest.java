package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jeventlet.Eventlet;
import io.jeventlet.Tpool;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.rpc.notify.NotificationCounters;
import io.jeventlet.rpc.notify.NotificationListener;
import io.jeventlet.rpc.notify.Notifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A notification listener across a broker restart, on the tests' own
 * cluster ({@link RabbitCluster}, node 1; never the shared broker): with
 * {@code amqp_durable_queues}, every notification the broker confirmed before,
 * during and after the restart is handled, including those the listener held
 * unacknowledged when the broker went away.
 */
class NotifyRabbitRestartTest {

    /** The cluster's first start takes longer than a test's default time limit. */
    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    static void cluster() {
        RabbitCluster.ensure();
    }

    /**
     * Records the sequence numbers it handles. From number 10 on it holds each one until the gate opens (after
     * the restart), so the broker still has most of them, and the listener two unacknowledged, when it stops.
     */
    public static final class Gated {
        final List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        volatile boolean open;

        public void info(Context ctx, String publisherId, String eventType, Map<String, Object> payload,
                         Map<String, Object> md) {
            int seq = (Integer) payload.get("seq");
            while (seq >= 10 && !open) {
                Eventlet.sleep(0.01);
            }
            got.add(seq);
        }
    }

    /** Nothing confirmed is lost across stop_app / start_app of the listener's broker. */
    @Test
    void listenerLosesNothingConfirmedAcrossABrokerRestart() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String exchange = "notify_restart_" + id;
        String topic = "notify_restart_" + id;
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, RabbitCluster.url(1))
                .override(RpcOpts.CONTROL_EXCHANGE, exchange)
                .override(RpcOpts.EXECUTOR_THREAD_POOL_SIZE, 4)
                .override(RabbitOpts.AMQP_DURABLE_QUEUES, true)
                .override(RabbitOpts.RABBIT_QOS_PREFETCH_COUNT, 2)
                .override(RabbitOpts.RABBIT_RETRY_INTERVAL, 0.2)
                .override(RabbitOpts.RABBIT_RETRY_BACKOFF, 0.2)
                .override(RabbitOpts.RABBIT_INTERVAL_MAX, 1.0).load();
        Gated endpoint = new Gated();
        long droppedBefore = NotificationCounters.total("info", NotificationCounters.Result.DROPPED);
        try (Transport listening = Transport.create(conf); Transport sending = Transport.create(conf)) {
            NotificationListener l = new NotificationListener(listening, List.of(new Target(topic)),
                    List.of(endpoint), null);
            l.start();
            try {
                Notifier n = new Notifier(sending, "restart.test", List.of("messagingv2"), List.of(topic), null);
                for (int i = 0; i < 60; i++) {
                    n.info(Context.empty(), "e", Map.of("seq", i));
                }
                Tpool.execute(() -> RabbitCluster.ctl(1, "stop_app"));
                assertTrue(endpoint.got.size() <= 10, "the gate holds: " + endpoint.got.size());
                Tpool.execute(() -> RabbitCluster.ctl(1, "start_app"));
                endpoint.open = true;
                // retry -1: each send waits for the reconnect, then for the broker's confirm.
                for (int i = 60; i < 100; i++) {
                    n.info(Context.empty(), "e", Map.of("seq", i));
                }
                double deadline = System.nanoTime() / 1e9 + 25;
                while (new TreeSet<>(endpoint.got).size() < 100 && System.nanoTime() / 1e9 < deadline) {
                    Eventlet.sleep(0.05);
                }
            } finally {
                l.stop();
                l.await();
            }
        } finally {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("127.0.0.1");
            f.setPort(RabbitCluster.port(1));
            try (Connection c = f.newConnection("notify-restart-cleanup"); Channel ch = c.createChannel()) {
                ch.queueDelete(topic + ".info");
                ch.exchangeDelete(exchange);
            }
        }
        assertEquals(droppedBefore, NotificationCounters.total("info", NotificationCounters.Result.DROPPED),
                "every notification was confirmed by the broker");
        Set<Integer> handled = new TreeSet<>(endpoint.got);
        assertEquals(IntStream.range(0, 100).boxed().toList(), List.copyOf(handled),
                "handled " + handled.size() + " of 100 (" + endpoint.got.size() + " deliveries)");
    }
}

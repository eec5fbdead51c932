package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The driver across a broker restart ({@code rabbitmqctl stop_app} /
 * {@code start_app}, which drops every connection and every non-durable
 * queue) of the tests' own node ({@link RabbitCluster} node 1): calls in
 * flight end at once, both drivers are back within a second of the broker,
 * the reply queue and the server's queues come back, and calls after it succeed.
 */
class RabbitReconnectTest {

    /** The cluster's first start takes longer than a test's default time limit. */
    @org.junit.jupiter.api.BeforeAll
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    static void cluster() {
        RabbitCluster.ensure();
    }

    static void await(BooleanSupplier condition, double seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    /** After a broker restart the reply queue is declared again and a new call gets its reply. */
    @Test
    void brokerRestartEndsCallsInFlightAndRecovers() throws Exception {
        String url = RabbitCluster.url(1);
        RabbitDriverTest.Replies replies = new RabbitDriverTest.Replies();
        String topic = RabbitDriverTest.topic();
        Address target = new Address(topic).withServer("s1");
        // oslo's default back-off (1 s, +2 s per attempt, 30 s at most): the driver must still be back at once.
        io.jeventlet.conf.ConfigOpts defaults = io.jeventlet.conf.ConfigOpts.builder().load();
        try (RabbitDriver server = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                new DriverContext(defaults, new RabbitDriverTest.Replies()));
             RabbitDriver client = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                new DriverContext(defaults, replies))) {
            LinkedBlockingQueue<IncomingMessage> held = new LinkedBlockingQueue<>();
            // The server holds "slow" requests unanswered, so a call is in flight when the broker goes away.
            var listener = server.listen(target, m -> {
                Map<String, Object> req = Envelopes.unwrap(m.body());
                m.acknowledge();
                if ("slow".equals(req.get("method"))) {
                    held.add(m);
                } else {
                    m.reply((String) req.get("_reply_q"), Envelopes.reply((String) req.get("_msg_id"), "ok"));
                }
            });
            client.send(target, new OutgoingMessage(Envelopes.request("slow", "inflight", client.replyAddress()),
                    "inflight", 30));
            assertNotNull(held.poll(10, TimeUnit.SECONDS), "the slow call never reached the server");

            RabbitCluster.ctl(1, "stop_app");
            Thread starter = null;
            try {
                String id = replies.undeliverable.poll(10, TimeUnit.SECONDS);
                assertEquals("inflight", id, "the call in flight was not ended when the connection was lost");
                assertInstanceOf(DeliveryException.class, replies.errors.poll());
                // Down long enough for a few reconnect attempts to fail and the back-off to grow.
                Thread.sleep(4000);
            } finally {
                starter = Thread.ofPlatform().start(() -> RabbitCluster.ctl(1, "start_app"));
            }
            // From the moment the broker listens again, both drivers are back within a second.
            await(() -> RabbitCluster.accepting(1), 60, "the broker listening again");
            long back = System.nanoTime();
            await(() -> client.io().connected() && server.io().connected(), 1.0, "reconnection of both drivers"
                    + " within a second of the broker listening again");
            System.out.printf("reconnected %.0f ms after the broker listened again%n", (System.nanoTime() - back) / 1e6);
            starter.join(60_000);
            assertTrue(RabbitCluster.ctl(1, "list_queues", "name").contains(client.replyAddress()),
                    "the reply queue is not back");

            client.send(target, new OutgoingMessage(Envelopes.request("fast", "after", client.replyAddress()), "after", 10));
            byte[] reply = replies.replies.poll(10, TimeUnit.SECONDS);
            assertNotNull(reply, "no reply to a call made after the restart");
            assertEquals("after", Envelopes.unwrap(reply).get("_msg_id"));
            listener.close();
        }
    }
}

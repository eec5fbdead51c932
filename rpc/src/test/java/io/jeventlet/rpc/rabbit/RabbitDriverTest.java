package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.ReplyHandler;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rabbit:// driver at the SPI level, with raw oslo envelopes, against the real broker. */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class RabbitDriverTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Replies and undeliverable notices a driver reported. */
    static final class Replies implements ReplyHandler {
        final LinkedBlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> undeliverable = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<DriverException> errors = new LinkedBlockingQueue<>();

        /** Decodes as the transport does, to tell the driver which call a reply ends. */
        @Override
        public Received onReply(byte[] body) {
            replies.add(body);
            try {
                java.util.Map<String, Object> m = new io.jeventlet.rpc.Envelope(16 << 20, 100).decode(body);
                return m.get("_msg_id") instanceof String id ? new Received(id, Boolean.TRUE.equals(m.get("ending"))) : null;
            } catch (io.jeventlet.rpc.InvalidMessage e) {
                return null;
            }
        }

        @Override
        public Received onReplyFor(String msgId, byte[] body, java.util.function.Predicate<Received> admit) {
            return admit.test(new Received(msgId, true)) ? onReply(body) : null;
        }

        @Override
        public void onUndeliverable(String msgId, DriverException error) {
            // The error first: a test that saw the id reads the error right after.
            errors.add(error);
            undeliverable.add(msgId);
        }
    }

    static ConfigOpts conf(String... keyValues) {
        ConfigOpts.Builder b = ConfigOpts.builder()
                .commandLine("rabbit.rabbit_retry_interval", "0.2s")
                .commandLine("rabbit.rabbit_retry_backoff", "0.2s")
                .commandLine("rabbit.rabbit_interval_max", "1s");
        for (int i = 0; i < keyValues.length; i += 2) {
            b.commandLine(keyValues[i], keyValues[i + 1]);
        }
        return b.load();
    }

    RabbitDriver driver(Replies replies) {
        RabbitDriver d = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(RabbitBroker.url()),
                new DriverContext(conf(), replies));
        open.add(d);
        return d;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static String topic() {
        return "jeventlet_test_" + io.jeventlet.rpc.spi.Ids.uuidHex().substring(0, 8);
    }

    /** A server that answers every call with its method name. */
    static Listener echoServer(RabbitDriver server, Address target, LinkedBlockingQueue<IncomingMessage> seen) {
        return server.listen(target, m -> {
            seen.add(m);
            m.acknowledge();
            Map<String, Object> req = Envelopes.unwrap(m.body());
            if (req.get("_msg_id") != null) {
                m.reply((String) req.get("_reply_q"), Envelopes.reply((String) req.get("_msg_id"), req.get("method")));
            }
        });
    }

    /** A call published to topic.server reaches the listener and its reply comes back through the reply queue. */
    @Test
    void callRoundTrip() throws Exception {
        Replies replies = new Replies();
        RabbitDriver server = driver(new Replies());
        RabbitDriver client = driver(replies);
        String topic = topic();
        Address target = new Address(topic).withServer("s1");
        LinkedBlockingQueue<IncomingMessage> seen = new LinkedBlockingQueue<>();
        open.add(echoServer(server, target, seen));
        client.send(target, new OutgoingMessage(Envelopes.request("ping", "m1", client.replyAddress()), "m1", 5));
        byte[] reply = replies.replies.poll(10, TimeUnit.SECONDS);
        assertNotNull(reply, "no reply within 10 s");
        Map<String, Object> r = Envelopes.unwrap(reply);
        assertEquals("m1", r.get("_msg_id"));
        assertEquals("ping", r.get("result"));
    }

    /** A call to a topic nobody declared is ended at once with DeliveryException. */
    @Test
    void callToUndeclaredTopicFailsFast() throws Exception {
        Replies replies = new Replies();
        RabbitDriver client = driver(replies);
        long t0 = System.nanoTime();
        client.send(new Address(topic()), new OutgoingMessage(Envelopes.request("ping", "m2", client.replyAddress()), "m2", 30));
        assertEquals("m2", replies.undeliverable.poll(5, TimeUnit.SECONDS), "the call was not ended");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "took " + (System.nanoTime() - t0) / 1e6 + " ms");
        DriverException e = replies.errors.poll();
        assertTrue(e instanceof DeliveryException && e.getMessage().contains("no queue is bound"), String.valueOf(e));
    }

    /** A cast to a topic nobody declared raises DeliveryException rather than vanishing. */
    @Test
    void castToUndeclaredTopicRaises() {
        RabbitDriver client = driver(new Replies());
        assertThrows(DeliveryException.class, () -> client.send(new Address(topic()),
                new OutgoingMessage(Envelopes.request("ping", null, null), null, 0)));
    }

    /** A cast to a topic whose server is away is confirmed and queued, and the server gets it when it listens again. */
    @Test
    void castIsQueuedWhileServerIsAway() throws Exception {
        RabbitDriver server = driver(new Replies());
        RabbitDriver client = driver(new Replies());
        String topic = topic();
        Address target = new Address(topic).withServer("s1");
        LinkedBlockingQueue<IncomingMessage> seen = new LinkedBlockingQueue<>();
        Listener first = echoServer(server, target, seen);
        first.close();
        client.send(new Address(topic), new OutgoingMessage(Envelopes.request("later", null, null), null, 0));
        open.add(echoServer(server, target, seen));
        IncomingMessage m = seen.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "the queued cast never arrived");
        assertEquals("later", Envelopes.unwrap(m.body()).get("method"));
    }

    /** A fanout cast reaches every server of the topic. */
    @Test
    void fanoutReachesEveryServer() throws Exception {
        RabbitDriver a = driver(new Replies());
        RabbitDriver b = driver(new Replies());
        RabbitDriver client = driver(new Replies());
        String topic = topic();
        LinkedBlockingQueue<IncomingMessage> seenA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<IncomingMessage> seenB = new LinkedBlockingQueue<>();
        open.add(echoServer(a, new Address(topic).withServer("a"), seenA));
        open.add(echoServer(b, new Address(topic).withServer("b"), seenB));
        client.send(new Address(topic).withFanout(true), new OutgoingMessage(Envelopes.request("all", null, null), null, 0));
        assertNotNull(seenA.poll(10, TimeUnit.SECONDS), "server a missed the fanout");
        assertNotNull(seenB.poll(10, TimeUnit.SECONDS), "server b missed the fanout");
    }

    /** A request the server gives back with requeue is delivered again. */
    @Test
    void requeuedRequestIsRedelivered() throws Exception {
        RabbitDriver server = driver(new Replies());
        RabbitDriver client = driver(new Replies());
        String topic = topic();
        LinkedBlockingQueue<IncomingMessage> seen = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        open.add(server.listen(new Address(topic).withServer("s1"), m -> {
            if (n.getAndIncrement() == 0) {
                m.requeue();
            } else {
                m.acknowledge();
                seen.add(m);
            }
        }));
        client.send(new Address(topic), new OutgoingMessage(Envelopes.request("again", null, null), null, 0));
        assertNotNull(seen.poll(10, TimeUnit.SECONDS), "the requeued request was not redelivered");
        assertEquals(2, n.get());
    }

    /** The queues declared are oslo's: topic, topic.server, topic_fanout_<uuid> and reply_<uuid>. */
    @Test
    void declaresOslosQueueNames() {
        RabbitDriver server = driver(new Replies());
        String topic = topic();
        open.add(echoServer(server, new Address(topic).withServer("s1"), new LinkedBlockingQueue<>()));
        List<String> queues = RabbitBroker.queues();
        assertTrue(queues.contains(topic), queues.toString());
        assertTrue(queues.contains(topic + ".s1"), queues.toString());
        assertTrue(queues.stream().anyMatch(q -> q.matches(java.util.regex.Pattern.quote(topic) + "_fanout_[0-9a-f]{32}")),
                queues.toString());
        assertTrue(server.replyAddress().matches("reply_[0-9a-f]{32}"), server.replyAddress());
        assertTrue(queues.contains(server.replyAddress()), queues.toString());
    }

    /** A closed driver refuses to send, naming the transport. */
    @Test
    void closedDriverRefusesToSend() {
        RabbitDriver client = driver(new Replies());
        client.close();
        DriverException e = assertThrows(DriverException.class, () -> client.send(new Address(topic()),
                new OutgoingMessage(Envelopes.request("x", null, null), null, 0)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertFalse(client.io().connected());
    }

    RabbitDriver driver(String url, ConfigOpts conf, Replies replies) {
        RabbitDriver d = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                new DriverContext(conf, replies));
        open.add(d);
        return d;
    }

    /** A fanout cast to a topic no server listens on is confirmed and dropped by its exchange, as oslo's. */
    @Test
    void fanoutToNoServerIsDropped() {
        RabbitDriver client = driver(new Replies());
        client.send(new Address(topic()).withFanout(true), new OutgoingMessage(Envelopes.request("x", null, null), null, 0));
    }

    /** A listener whose queue flags differ from the queue's existing ones fails with the broker's reason, naming the flag. */
    @Test
    void mismatchedQueueFlagsAreRefusedByName() {
        String topic = topic();
        RabbitDriver plain = driver(new Replies());
        open.add(echoServer(plain, new Address(topic).withServer("a"), new LinkedBlockingQueue<>()));
        RabbitDriver durable = driver(RabbitBroker.url(), conf("rabbit.amqp_durable_queues", "true"), new Replies());
        DriverException e = assertThrows(DriverException.class,
                () -> durable.listen(new Address(topic).withServer("b"), m -> { }));
        assertTrue(e.getMessage().contains("PRECONDITION_FAILED") && e.getMessage().contains("durable"), e.getMessage());
    }

    /** rabbit_ha_queues and rabbit_quorum_queue together are refused at open, naming both options. */
    @Test
    void haAndQuorumTogetherAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RabbitDriverFactory().open(
                TransportUrl.parse("rabbit://guest:guest@127.0.0.1:5672/"),
                new DriverContext(conf("rabbit.rabbit_ha_queues", "true", "rabbit.rabbit_quorum_queue", "true"), null)));
        assertTrue(e.getMessage().contains("rabbit_ha_queues") && e.getMessage().contains("rabbit_quorum_queue"),
                e.getMessage());
    }

    /** An unreadable ssl_ca_file is refused at open, naming the option and the file. */
    @Test
    void unreadableCaFileIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RabbitDriverFactory().open(
                TransportUrl.parse("rabbit://guest:guest@127.0.0.1:5671/"),
                new DriverContext(conf("rabbit.ssl", "true", "rabbit.ssl_ca_file", "/nonexistent/ca.pem"), null)));
        assertTrue(e.getMessage().contains("rabbit.ssl_ca_file") && e.getMessage().contains("/nonexistent/ca.pem"),
                e.getMessage());
    }

    /** A cast while no broker is reachable ends with MessagingTimeout after rpc.response_timeout instead of hanging. */
    @Test
    void castWithoutBrokerTimesOut() {
        RabbitDriver client = driver("rabbit://guest:guest@127.0.0.1:1/", conf("rpc.response_timeout", "1s"), new Replies());
        long t0 = System.nanoTime();
        io.jeventlet.rpc.spi.DriverTimeoutException e = assertThrows(io.jeventlet.rpc.spi.DriverTimeoutException.class, () -> client.send(
                new Address(topic()), new OutgoingMessage(Envelopes.request("x", null, null), null, 0)));
        double took = (System.nanoTime() - t0) / 1e9;
        assertTrue(took >= 0.9 && took < 4, "took " + took + " s");
        assertTrue(e.getMessage().contains("not connected"), e.getMessage());
    }

    /** With a dead broker first in the URL, the driver fails over to the next one. */
    @Test
    void failsOverToTheNextHost() throws Exception {
        String live = RabbitBroker.url().replaceFirst("^rabbit://", "");
        Replies replies = new Replies();
        RabbitDriver client = driver("rabbit://guest:guest@127.0.0.1:1," + live, conf(), replies);
        RabbitDriver server = driver(new Replies());
        String topic = topic();
        open.add(echoServer(server, new Address(topic).withServer("s1"), new LinkedBlockingQueue<>()));
        client.send(new Address(topic), new OutgoingMessage(Envelopes.request("hop", "m8", client.replyAddress()), "m8", 10));
        assertNotNull(replies.replies.poll(10, TimeUnit.SECONDS), "no reply through the second host");
    }
}

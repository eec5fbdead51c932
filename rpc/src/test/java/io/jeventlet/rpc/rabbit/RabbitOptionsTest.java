package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.IncomingMessage;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * oslo 2024.x's {@code [oslo_messaging_rabbit]} options, declared as oslo
 * declares them: the queue arguments the broker shows
 * ({@code rabbitmqctl list_queues}), the consumers' prefetch, the URL's
 * query overriding the configuration, oslo's {@code ssl_version}
 * spellings, and (where Debian's oslo.messaging 14 has the option) a Python
 * server declaring the same queues without PRECONDITION_FAILED. On the
 * tests' own node 1 ({@link RabbitCluster}): quorum and stream queues
 * outlive their consumers, and these tests delete what they made.
 */
class RabbitOptionsTest {

    /** The cluster's first start takes longer than a test's default time limit. */
    @org.junit.jupiter.api.BeforeAll
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    static void cluster() {
        RabbitCluster.ensure();
    }
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        for (String q : made) {
            RabbitCluster.ctl(1, "delete_queue", q);
        }
    }

    RabbitDriver driver(String url, RabbitDriverTest.Replies replies, String... conf) {
        RabbitDriver d = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                new DriverContext(RabbitDriverTest.conf(conf), replies));
        open.add(d);
        return d;
    }

    /** The line of {@code list_queues name durable arguments} for {@code queue}. */
    static String queueLine(String queue) {
        return RabbitCluster.ctl(1, "list_queues", "name", "durable", "arguments").lines()
                .filter(l -> l.startsWith(queue + "\t")).findFirst().orElse("(no queue " + queue + ")");
    }

    /** Quorum tuning options become x-delivery-limit and x-max-in-memory-length/-bytes; oslo 14 declares alike. */
    @Test
    void quorumLimitsAsOsloDeclaresThem() throws Exception {
        String url = RabbitCluster.url(1);
        String topic = RabbitDriverTest.topic();
        String exchange = topic + "_exchange";
        String[] conf = {"rpc.control_exchange", exchange, "rabbit.rabbit_quorum_queue", "true",
                "rabbit.rabbit_quorum_delivery_limit", "3", "rabbit.rabbit_quorum_max_memory_length", "100",
                "rabbit.rabbit_quroum_max_memory_bytes", "1000000"};
        RabbitDriver server = driver(url, new RabbitDriverTest.Replies(), conf);
        open.add(RabbitDriverTest.echoServer(server, new Address(topic).withServer("java1"), new LinkedBlockingQueue<>()));
        made.addAll(List.of(topic, topic + ".java1", topic + ".py1"));
        String line = queueLine(topic);
        assertTrue(line.contains("true") && line.contains("quorum") && line.contains("x-delivery-limit")
                && line.contains("x-max-in-memory-length") && line.contains("x-max-in-memory-bytes"), line);
        // Debian's oslo.messaging 14 spells the memory options rabbit_quroum_*; it declares the same queue.
        try (OsloRabbitPeer py = OsloRabbitPeer.server(url, topic, "py1", "--exchange", exchange,
                "--rabbit", "rabbit_quorum_queue=true", "--rabbit", "rabbit_quorum_delivery_limit=3",
                "--rabbit", "rabbit_quroum_max_memory_length=100", "--rabbit", "rabbit_quroum_max_memory_bytes=1000000")) {
            Map<String, Object> r = RabbitOsloInteropTest.result(Eventlet.spawn(() -> OsloRabbitPeer.client(url, topic,
                    "java1", "echo", 10, "--exchange", exchange, "--rabbit", "rabbit_quorum_queue=true",
                    "--rabbit", "rabbit_quorum_delivery_limit=3", "--rabbit", "rabbit_quroum_max_memory_length=100",
                    "--rabbit", "rabbit_quroum_max_memory_bytes=1000000")).await());
            assertTrue(r.containsKey("ok"), r.toString());
            assertTrue(queueLine(topic + ".py1").contains("x-delivery-limit"), queueLine(topic + ".py1"));
        }
    }

    /** rabbit_transient_quorum_queue: reply and fanout queues are durable quorum queues with x-expires. */
    @Test
    void transientQuorumQueues() {
        String topic = RabbitDriverTest.topic();
        String[] conf = {"rpc.control_exchange", topic + "_exchange", "rabbit.rabbit_transient_quorum_queue", "true"};
        RabbitDriver d = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies(), conf);
        open.add(RabbitDriverTest.echoServer(d, new Address(topic).withServer("s1"), new LinkedBlockingQueue<>()));
        made.addAll(List.of(topic, topic + ".s1"));
        String reply = queueLine(d.replyAddress());
        assertTrue(reply.contains("true") && reply.contains("quorum") && reply.contains("x-expires"), reply);
        String fanout = RabbitCluster.ctl(1, "list_queues", "name", "durable", "arguments").lines()
                .filter(l -> l.startsWith(topic + "_fanout_")).findFirst().orElse("(no fanout queue)");
        assertTrue(fanout.contains("true") && fanout.contains("quorum"), fanout);
    }

    /** rabbit_stream_fanout: one stream <topic>_fanout with x-max-age, consumed from "last"; a fanout reaches it. */
    @Test
    void streamFanout() throws Exception {
        String topic = RabbitDriverTest.topic();
        String[] conf = {"rpc.control_exchange", topic + "_exchange", "rabbit.rabbit_transient_quorum_queue", "true",
                "rabbit.rabbit_stream_fanout", "true", "rabbit.rabbit_qos_prefetch_count", "10",
                "rabbit.rabbit_transient_queues_ttl", "60"};
        RabbitDriver d = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies(), conf);
        LinkedBlockingQueue<IncomingMessage> seen = new LinkedBlockingQueue<>();
        Listener l = RabbitDriverTest.echoServer(d, new Address(topic).withServer("s1"), seen);
        open.add(l);
        made.addAll(List.of(topic, topic + ".s1", topic + "_fanout"));
        String stream = queueLine(topic + "_fanout");
        assertTrue(stream.contains("stream") && stream.contains("x-max-age") && stream.contains("60s"), stream);
        d.send(new Address(topic).withFanout(true), new OutgoingMessage(Envelopes.request("all", null, null), null, 0));
        assertNotNull(seen.poll(10, TimeUnit.SECONDS), "the fanout did not arrive through the stream");
        // A stream needs a prefetch, and transient quorum queues, as oslo requires.
        assertThrows(IllegalArgumentException.class, () -> driver(RabbitCluster.url(1), null,
                "rabbit.rabbit_stream_fanout", "true", "rabbit.rabbit_transient_quorum_queue", "true"));
    }

    /** use_queue_manager: reply_<hostname>:<processname>:<n>; rabbit_transient_queues_ttl 0: no x-expires. */
    @Test
    void queueManagerNamesAndNoTtl() throws Exception {
        RabbitDriver d = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies(), "rabbit.use_queue_manager", "true",
                "rabbit.hostname", "node1", "rabbit.processname", "jeventlet-test", "rabbit.rabbit_transient_queues_ttl",
                "0");
        assertTrue(d.replyAddress().matches("reply_node1:jeventlet-test:\\d+"), d.replyAddress());
        RabbitReconnectTest.await(() -> d.io().connected(), 10, "connection");
        String line = queueLine(d.replyAddress());
        assertTrue(line.startsWith(d.replyAddress()) && !line.contains("x-expires"), line);
    }

    /** The URL's query overrides the group's options, as oslo's; prefetch 0 is no basic.qos; unknown names refused. */
    @Test
    void urlQueryOverridesOptionsAndPrefetchZeroIsUnlimited() {
        String topic = RabbitDriverTest.topic();
        RabbitDriver limited = driver(RabbitCluster.url(1) + "?rabbit_qos_prefetch_count=7", new RabbitDriverTest.Replies());
        open.add(RabbitDriverTest.echoServer(limited, new Address(topic).withServer("a"), new LinkedBlockingQueue<>()));
        RabbitDriver unlimited = driver(RabbitCluster.url(1), new RabbitDriverTest.Replies());
        open.add(RabbitDriverTest.echoServer(unlimited, new Address(topic).withServer("b"), new LinkedBlockingQueue<>()));
        made.addAll(List.of(topic, topic + ".a", topic + ".b"));
        String consumers = RabbitCluster.ctl(1, "list_consumers", "queue_name", "prefetch_count");
        assertTrue(consumers.lines().anyMatch(l -> l.equals(topic + ".a\t7")), consumers);
        assertTrue(consumers.lines().anyMatch(l -> l.equals(topic + ".b\t0")), consumers);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> driver(RabbitCluster.url(1) + "?rabbit_no_such_option=1", null));
        assertTrue(e.getMessage().contains("rabbit_no_such_option"), e.getMessage());
    }

    /** ssl_version in oslo's spellings (any case) and the JDK's; removed protocols refused by name. */
    @Test
    void sslVersionSpellings() {
        assertEquals("TLSv1.2", TlsContexts.protocol("tlsv1_2"));
        assertEquals("TLSv1.2", TlsContexts.protocol("TLSv1_2"));
        assertEquals("TLSv1.2", TlsContexts.protocol("TLSv1.2"));
        assertEquals("TLSv1.3", TlsContexts.protocol("tlsv1_3"));
        assertEquals("TLS", TlsContexts.protocol("SSLv23"));
        assertEquals("TLS", TlsContexts.protocol(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsContexts.protocol("tlsv1"));
        assertTrue(e.getMessage().contains("tlsv1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsContexts.protocol("tls9"));
    }

    /** oslo percent-decodes credentials: '+' stays '+'; the query is form-decoded as parse_qs does. */
    @Test
    void credentialsArePercentDecoded() {
        TransportUrl u = TransportUrl.parse("rabbit://us%40er:p+a%2Bss@h:5672/v+h?ssl=tr+ue");
        assertEquals("us@er", u.hosts().get(0).username());
        assertEquals("p+a+ss", u.hosts().get(0).password());
        assertEquals("v+h", u.virtualHost());
        assertEquals("tr ue", u.query().get("ssl"));
    }
}

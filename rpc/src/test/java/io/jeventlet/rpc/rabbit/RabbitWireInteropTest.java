package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The driver against Python oslo.messaging on one broker, at the wire level
 * (hand-written envelopes): both sides declare the same queues without the
 * broker refusing either, and requests and replies cross in both directions.
 */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class RabbitWireInteropTest {

    /** A request the driver publishes reaches a Python oslo server, whose reply comes back to the driver. */
    @Test
    void driverCallsPythonServer() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        RabbitDriverTest.Replies replies = new RabbitDriverTest.Replies();
        try (OsloRabbitPeer py = OsloRabbitPeer.server(url, topic, "py1");
             RabbitDriver driver = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                     new DriverContext(RabbitDriverTest.conf(), replies))) {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("method", "echo");
            req.put("args", Map.of("x", List.of(1, "two")));
            req.put("_msg_id", "abc123");
            req.put("_reply_q", driver.replyAddress());
            req.put("_timeout", null);
            req.put("_unique_id", io.jeventlet.rpc.spi.Ids.uuidHex());
            req.put("_context_user", "bob");
            driver.send(new Address(topic).withServer("py1"), new OutgoingMessage(Envelopes.wrap(req), "abc123", 10));
            byte[] reply = replies.replies.poll(10, TimeUnit.SECONDS);
            assertNotNull(reply, "the Python server did not reply within 10 s");
            Map<String, Object> r = Envelopes.unwrap(reply);
            assertEquals(List.of(1, "two"), r.get("result"));
            assertEquals(Boolean.TRUE, r.get("ending"));
            assertEquals("abc123", r.get("_msg_id"));
        }
    }

    /** A Python oslo client's call reaches a driver listener declared beside a Python server of the same topic. */
    @Test
    void pythonClientCallsDriverListener() throws Exception {
        String url = RabbitBroker.url();
        String topic = RabbitDriverTest.topic();
        try (OsloRabbitPeer py = OsloRabbitPeer.server(url, topic, "py1");
             RabbitDriver driver = (RabbitDriver) new RabbitDriverFactory().open(TransportUrl.parse(url),
                     new DriverContext(RabbitDriverTest.conf(), new RabbitDriverTest.Replies()))) {
            // Same topic queue and fanout exchange as the Python server: the broker must accept both declarers.
            try (var listener = driver.listen(new Address(topic).withServer("java1"), m -> {
                m.acknowledge();
                Map<String, Object> req = Envelopes.unwrap(m.body());
                m.reply((String) req.get("_reply_q"), Envelopes.reply((String) req.get("_msg_id"),
                        Map.of("from", "java", "x", ((Map<?, ?>) req.get("args")).get("x"))));
            })) {
                List<String> out = OsloRabbitPeer.client(url, topic, "java1", "echo", 10);
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("list", List.of(1, 2.5, "three"));
                x.put("n", null);
                assertEquals(Map.of("ok", Map.of("from", "java", "x", x)), parse(out.get(0)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
    }
}

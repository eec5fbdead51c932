package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessagingTimeout;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code rabbit.ssl} against the TLS listener that {@code bin/rabbitmq-local
 * start} opens on 127.0.0.1:5671 with a CA of its own.
 */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class RabbitTlsTest {
    static final Path TLS_DIR = Path.of(System.getenv().getOrDefault("RABBITMQ_LOCAL_TLS_DIR",
            "/var/lib/rabbitmq/jeventlet-tls"));

    static String caFile() {
        Path ca = TLS_DIR.resolve("ca.pem");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5671), 2000);
        } catch (IOException e) {
            fail("no TLS listener at 127.0.0.1:5671 (" + e.getMessage() + "); start the broker with: bin/rabbitmq-local start");
        }
        if (!Files.isReadable(ca)) {
            fail(ca + " is missing; bin/rabbitmq-local start makes it (RABBITMQ_LOCAL_TLS_DIR moves it)");
        }
        return ca.toString();
    }

    static ConfigOpts conf(String... more) {
        ConfigOpts.Builder b = ConfigOpts.builder()
                .commandLine("rpc.transport_url", "rabbit://guest:guest@localhost:5671/")
                .commandLine("rabbit.ssl", "true")
                .commandLine("rabbit.rabbit_retry_interval", "0.2s")
                .commandLine("rabbit.rabbit_interval_max", "1s");
        for (int i = 0; i < more.length; i += 2) {
            b.commandLine(more[i], more[i + 1]);
        }
        return b.load();
    }

    /** Over TLS, with the broker's certificate checked against ssl_ca_file, a call gets its reply. */
    @Test
    void callOverTls() {
        String ca = caFile();
        String topic = RabbitDriverTest.topic();
        try (Transport server = Transport.create(conf("rabbit.ssl_ca_file", ca));
             Transport client = Transport.create(conf("rabbit.ssl_ca_file", ca))) {
            RpcServer s = new RpcServer(server, new Target(topic).withServer("s1"), List.of(new RabbitRpcTest.Calc("s1")));
            s.start();
            try {
                assertEquals(7, new RpcClient(client, new Target(topic)).withTimeout(10)
                        .call(Context.empty(), "add", Map.of("a", 3, "b", 4)));
            } finally {
                s.stop();
                s.await();
            }
        }
    }

    /** A broker whose certificate the JDK's trust store does not vouch for is never talked to: the cast times out unsent. */
    @Test
    void untrustedBrokerIsRefused() {
        caFile();
        try (Transport client = Transport.create(conf("rpc.response_timeout", "1.5s"))) {
            MessagingTimeout e = assertThrows(MessagingTimeout.class,
                    () -> new RpcClient(client, new Target(RabbitDriverTest.topic())).cast(Context.empty(), "x", Map.of()));
            assertTrue(e.getMessage().contains("not connected"), e.getMessage());
        }
    }

    /**
     * With ssl_cert_file and ssl_key_file the client presents its certificate:
     * the broker, which verifies presented certificates, lists the connection
     * with that certificate's subject.
     */
    @Test
    void clientCertificateIsPresentedToTheBroker() throws Exception {
        String ca = caFile();
        Path cert = TLS_DIR.resolve("client.pem");
        Path key = TLS_DIR.resolve("client.key");
        if (!Files.isReadable(cert) || !Files.isReadable(key)) {
            fail(cert + " or " + key + " is missing; bin/rabbitmq-local start makes them");
        }
        String topic = RabbitDriverTest.topic();
        try (Transport server = Transport.create(conf("rabbit.ssl_ca_file", ca, "rabbit.ssl_cert_file", cert.toString(),
                "rabbit.ssl_key_file", key.toString()))) {
            RpcServer s = new RpcServer(server, new Target(topic).withServer("s1"), List.of(new RabbitRpcTest.Calc("s1")));
            s.start();
            try {
                Process p = new ProcessBuilder("rabbitmqctl", "-n",
                        System.getenv().getOrDefault("RABBITMQ_NODENAME", "rabbit@localhost"),
                        "-q", "list_connections", "peer_cert_subject").redirectErrorStream(true).start();
                String listed;
                try {
                    listed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "rabbitmqctl did not end");
                } finally {
                    p.destroyForcibly();
                }
                assertTrue(listed.contains("CN=jeventlet-test-client"), "connections with their certificates: " + listed);
            } finally {
                s.stop();
                s.await();
            }
        }
    }

    /** A key without its certificate is refused at once, naming both options. */
    @Test
    void keyWithoutCertificateIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transport.create(conf("rabbit.ssl_key_file", "/nonexistent/client.key")).close());
        assertTrue(e.getMessage().contains("rabbit.ssl_cert_file") && e.getMessage().contains("ssl_key_file"),
                e.getMessage());
    }

    /** A PKCS#1 RSA key is refused naming the file, what it holds and the command that converts it. */
    @Test
    void pkcs1KeyIsReportedWithItsConversion() throws IOException {
        Path dir = Files.createTempDirectory("rabbit-tls");
        try {
            Path key = Files.writeString(dir.resolve("old.key"),
                    "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
            String cert = caFile();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Transport.create(conf("rabbit.ssl_cert_file", cert, "rabbit.ssl_key_file", key.toString()))
                            .close());
            assertTrue(e.getMessage().contains(key.toString()) && e.getMessage().contains("PKCS#1")
                    && e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}

package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * The real broker the rabbit tests use: {@code 127.0.0.1:5672}, guest/guest,
 * node {@code rabbit@localhost} (what {@code bin/rabbitmq-local start}
 * runs), or the URL in system property {@code jeventlet.rabbit.url} /
 * environment variable {@code JEVENTLET_RABBIT_URL}. A test that needs it
 * fails, naming how to start it, when it is not there.
 */
final class RabbitBroker {
    static final String NODE = System.getenv().getOrDefault("RABBITMQ_NODENAME", "rabbit@localhost");

    private RabbitBroker() {}

    /** The broker's URL; fails the test if nothing listens there. */
    static String url() {
        String url = System.getProperty("jeventlet.rabbit.url", System.getenv().getOrDefault("JEVENTLET_RABBIT_URL",
                "rabbit://guest:guest@127.0.0.1:5672/"));
        var parsed = io.jeventlet.rpc.spi.TransportUrl.parse(url);
        var host = parsed.hosts().get(0);
        int port = host.port() < 0 ? 5672 : host.port();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host.hostname(), port), 2000);
        } catch (IOException e) {
            fail("no RabbitMQ broker at " + host.hostname() + ":" + port + " (" + e.getMessage()
                    + "); start one with: bin/rabbitmq-local start");
        }
        return url;
    }

    /** Runs {@code rabbitmqctl -n NODE args...} and returns its output; fails the test if it fails. */
    static String ctl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("rabbitmqctl", "-n", NODE, "-q"));
        cmd.addAll(List.of(args));
        try {
            var r = io.jeventlet.rpc.Commands.run(new ProcessBuilder(cmd), 60, "rabbitmqctl " + String.join(" ", args));
            if (r.exit() != 0) {
                fail("rabbitmqctl " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.output());
            }
            return r.output();
        } catch (IOException e) {
            throw new AssertionError("cannot run rabbitmqctl (apt-get install rabbitmq-server): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The names of the broker's queues. */
    static List<String> queues() {
        return ctl("list_queues", "name").lines().map(String::trim).filter(l -> !l.isEmpty() && !l.equals("name"))
                .toList();
    }
}

package io.jeventlet.rpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a test that must name a port before something binds it (a child process that
 * cannot be told to bind 0, a server started after its clients). They are picked below the
 * kernel's ephemeral ports ({@code net.ipv4.ip_local_port_range}): a port of that range may
 * become the local port of any outgoing connection between the check and the bind. Thread-safe.
 */
public final class TestPorts {
    private static final int LOWEST = 20_000;
    /** Above: the distribution ports of the tests' RabbitMQ clusters (rabbit.RabbitCluster). */
    private static final int HIGHEST = 30_000;

    private TestPorts() {
    }

    /** The first ephemeral port of this machine (32768 when it cannot be read). */
    public static int ephemeralLow() {
        try {
            // Not Files.readString: it reads as many bytes as the file's size, and /proc says 0.
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** True when nothing listens on loopback port {@code port} now (it could be bound). */
    public static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** A loopback port below the ephemeral range that nothing listens on now, picked at random. */
    public static int unused() throws IOException {
        int high = Math.min(HIGHEST, ephemeralLow());
        for (int tries = 0; tries < 100; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, high);
            if (free(port)) {
                return port;
            }
        }
        throw new IOException("no unused loopback port in " + LOWEST + ".." + high);
    }
}

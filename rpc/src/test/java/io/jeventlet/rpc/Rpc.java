package io.jeventlet.rpc;

import io.jeventlet.VirtualHubs;
import java.util.List;

/** Test helpers: a server and a client on one inproc bus on a fresh virtual-clock hub. */
final class Rpc {
    private Rpc() {}

    /** What a test does with the client. */
    interface ClientBody<T> {
        T run(RpcClient client) throws Exception;
    }

    /**
     * Runs {@code body} on a fresh virtual-clock hub with a server of
     * {@code endpoint} on topic "t", server "s", of bus {@code bus}, and a
     * client for topic "t"; stops the server and closes the transport after.
     */
    static <T> T withServer(String bus, Object endpoint, ClientBody<T> body) throws Exception {
        return VirtualHubs.run(() -> {
            try (Transport transport = Transport.create("inproc://" + bus)) {
                RpcServer server = new RpcServer(transport, new Target("t").withServer("s"), List.of(endpoint));
                server.start();
                try {
                    return body.run(new RpcClient(transport, new Target("t")));
                } finally {
                    server.stop();
                    server.await();
                }
            }
        });
    }
}

package io.jeventlet.rpc.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server whose hub has nothing else to do: requests reach it only from
 * amqp-client's threads, so its listener must keep the hub waiting instead
 * of letting it end with {@code LoopExit}.
 */
@Tag("broker") // on the shared broker: rpc/pom.xml runs these one at a time, after the others
class RabbitServerHubTest {

    /** An RpcServer alone on its own OS thread's hub keeps serving until stopped, then its await returns. */
    @Test
    void serverAloneOnItsHubKeepsServing() throws Exception {
        String topic = RabbitDriverTest.topic();
        CompletableFuture<RpcServer> started = new CompletableFuture<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        try (Transport serverTransport = Transport.create(RabbitRpcTest.conf());
             Transport clientTransport = Transport.create(RabbitRpcTest.conf())) {
            Thread t = Thread.ofPlatform().name("lonely-server").start(() -> {
                try {
                    RpcServer s = new RpcServer(serverTransport, new Target(topic).withServer("s1"),
                            List.of(new RabbitRpcTest.Calc("s1")));
                    s.start();
                    started.complete(s);
                    s.await();
                    ended.complete(null);
                } catch (Throwable e) {
                    started.completeExceptionally(e);
                    ended.completeExceptionally(e);
                }
            });
            RpcServer server = started.get(20, TimeUnit.SECONDS);
            try {
                RpcClient client = new RpcClient(clientTransport, new Target(topic)).withTimeout(10);
                // A pause with nothing to do on the server's hub, then calls.
                io.jeventlet.Eventlet.sleep(0.3);
                for (int i = 0; i < 3; i++) {
                    assertEquals(i + 1, client.call(Context.empty(), "add", Map.of("a", i, "b", 1)));
                }
            } finally {
                server.stop();
                ended.get(20, TimeUnit.SECONDS);
                t.join(5_000);
            }
        }
    }
}

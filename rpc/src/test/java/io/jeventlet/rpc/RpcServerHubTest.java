package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jeventlet.Event;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A started server keeps its hub alive: requests come from other OS threads. */
class RpcServerHubTest {

    /** Records the first call on the server's hub. */
    public static final class Doorbell {
        final Event<String> rung = new Event<>();

        public String ring(Context ctx, String who) {
            rung.send(who);
            return "heard " + who;
        }
    }

    /**
     * A thread whose hub has only a started server waits for a request instead
     * of ending in LoopExit, and is woken by a call from another OS thread.
     */
    @Test
    void serverAloneOnItsHubWaitsForOtherThreadsCalls() throws Exception {
        try (Transport transport = Transport.create("inproc://server-alone")) {
            Doorbell bell = new Doorbell();
            RpcServer server = new RpcServer(transport, new Target("bell").withServer("a"), List.of(bell));
            server.start();
            CompletableFuture<Object> reply = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().name("other-hub-caller").start(() -> {
                try {
                    RpcClient client = new RpcClient(transport, new Target("bell")).withTimeout(10);
                    reply.complete(client.call(Context.empty(), "ring", Map.of("who", "neighbour")));
                } catch (Throwable t) {
                    reply.completeExceptionally(t);
                }
            });
            // Nothing on this hub could wake this wait but the other thread's request.
            assertEquals("neighbour", bell.rung.await());
            server.stop();
            server.await();
            assertEquals("heard neighbour", reply.get(10, TimeUnit.SECONDS));
            caller.join(10_000);
        }
    }
}

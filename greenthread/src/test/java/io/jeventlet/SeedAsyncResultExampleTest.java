package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AsyncResult example of the seed document (gevent tutorial, just above
 * the queue example in {@code shared/seeds/003_95b4a6ca62449420.txt}): a
 * server prepares data for two seconds and sets it, a client waits for it.
 */
class SeedAsyncResultExampleTest {

    /** The server's line, then the client's, then the value the server set two seconds later. */
    @Test
    void clientGetsWhatTheServerSets() throws Exception {
        List<String> out = VirtualHubs.run(() -> {
            List<String> lines = new ArrayList<>();
            AsyncResult<String> a = new AsyncResult<>();
            double start = Hub.get().clock();
            GreenThread<Void> server = Eventlet.spawn(() -> {
                lines.add("i am preparing data.");
                Eventlet.sleep(2);
                a.set("Hello,world.");
            });
            GreenThread<Void> client = Eventlet.spawn(() -> {
                lines.add("client");
                lines.add(a.get());
            });
            List<GreenThread<?>> done = Eventlet.joinAll(List.of(server, client));
            assertEquals(List.of(server, client), done);
            assertEquals(2.0, Hub.get().clock() - start, 1e-9);
            return lines;
        });
        assertEquals(List.of("i am preparing data.", "client", "Hello,world."), out);
    }
}

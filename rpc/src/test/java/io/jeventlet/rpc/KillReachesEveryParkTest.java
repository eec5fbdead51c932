package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.GreenletExit;
import io.jeventlet.LightQueue;
import io.jeventlet.Semaphore;
import io.jeventlet.Timeout;
import io.jeventlet.Tpool;
import io.jeventlet.conf.ConfigOpts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A green thread parked in any wait it can be in ends promptly on a kill and
 * on a {@code Timeout}: this runtime's primitives, a JDK call, a thread-pool
 * hand-off, and the buses' waits while the bus is down (a server's start, a
 * cast's confirm, a call's reply; rabbit:// with no broker at the URL,
 * zmq:// with no proxy) — each ended through the runtime's own delivery, not
 * by interrupting a socket's owner. "Promptly" is well under a second; the
 * bound asserted is one second, for a loaded machine.
 */
class KillReachesEveryParkTest {
    private static final double PROMPTLY = 1.0;

    /** The endpoint of the servers started here. */
    public static final class Noop {
        /** Does nothing. */
        public void noop(Context ctx) {
        }
    }

    /** A wait that does not end by itself. */
    private interface Wait {
        void enter() throws Exception;
    }

    /** Spawns {@code wait}, lets it park, ends it with {@code end}, and checks it died of that, promptly. */
    private static void endsPromptly(String what, Wait wait, Consumer<GreenThread<Object>> end,
                                     Class<? extends Throwable> expected) {
        GreenThread<Object> gt = Eventlet.spawn(() -> {
            try {
                wait.enter();
            } catch (Timeout t) {
                return t; // the outcome checked below, not a failure for the hub to log
            }
            return "the wait ended by itself";
        });
        Eventlet.sleep(0); // it runs into the wait and parks there
        assertTrue(gt.started() && !gt.dead(), what + ": not parked in its wait: " + gt);
        long began = System.nanoTime();
        end.accept(gt);
        Object outcome = Timeout.withTimeout(10, () -> {
            try {
                return gt.await();
            } catch (Throwable t) {
                return t;
            }
        });
        double took = (System.nanoTime() - began) / 1e9;
        assertInstanceOf(expected, outcome, what + " ended with " + outcome);
        assertTrue(gt.dead(), what + ": still alive");
        assertTrue(took < PROMPTLY, what + ": ending it took " + took + " s");
    }

    /** Both ends for one wait: a kill, and a Timeout around it. */
    private static void killAndTimeoutEnd(String what, Wait wait) {
        endsPromptly(what + " (kill)", wait, GreenThread::kill, GreenletExit.class);
        endsPromptly(what + " (Timeout)", () -> Timeout.withTimeout(0.2, () -> {
            wait.enter();
            return null;
        }), gt -> { }, Timeout.class);
    }

    /** Event, queue, semaphore, sleep, another green thread's end: the runtime's own waits. */
    @Test
    void theRuntimesPrimitives() {
        killAndTimeoutEnd("Event.await", () -> new Event<>().await());
        killAndTimeoutEnd("LightQueue.get", () -> new LightQueue<>().get());
        killAndTimeoutEnd("Semaphore.acquire", () -> new Semaphore(0).acquire());
        killAndTimeoutEnd("Eventlet.sleep", () -> Eventlet.sleep(3600));
        GreenThread<Object> forever = Eventlet.spawn(() -> {
            new Event<>().await();
            return null;
        });
        try {
            killAndTimeoutEnd("GreenThread.await", forever::await);
        } finally {
            forever.kill();
        }
    }

    /** A JDK blocking call (a socket read) and a Tpool hand-off whose platform thread is busy. */
    @Test
    void aJdkCallAndATpoolHandOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            killAndTimeoutEnd("Socket read", () -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    s.getInputStream().read();
                }
            });
        }
        CountDownLatch release = new CountDownLatch(1);
        try {
            killAndTimeoutEnd("Tpool.execute", () -> Tpool.execute(() -> release.await(30, TimeUnit.SECONDS)));
        } finally {
            release.countDown();
        }
    }

    /** rabbit:// with no broker at the URL: a server's start, a cast's confirm and a call's reply. */
    @Test
    void theRabbitBusWaitsDuringABrokerOutage() throws IOException {
        busWaits("rabbit://guest:guest@127.0.0.1:" + freePort() + "/");
    }

    /** zmq:// with no proxy at the URL: a server's registration, a send's wait for a proxy, a call's reply. */
    @Test
    void theZmqBusWaitsDuringAProxyOutage() throws IOException {
        busWaits("zmq://127.0.0.1:" + freePort());
    }

    private static void busWaits(String url) {
        ConfigOpts conf = ConfigOpts.builder()
                .commandLine("rpc.transport_url", url)
                .commandLine("rpc_zmq.connect_timeout", "600s")
                .commandLine("rpc.response_timeout", "600s")
                .load();
        try (Transport transport = Transport.create(conf)) {
            Target target = new Target("kill-reaches").withServer("s1");
            killAndTimeoutEnd(url + " RpcServer.start", () -> new RpcServer(transport, target, List.of(new Noop())).start());
            RpcClient client = new RpcClient(transport, target);
            killAndTimeoutEnd(url + " cast", () -> client.cast(Context.empty(), "noop", Map.of()));
            killAndTimeoutEnd(url + " call", () -> client.call(Context.empty(), "noop", Map.of()));
        }
    }

    /** A port on 127.0.0.1 where nothing listens (just freed). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}

package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RemoteError;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pyzmq client and server written from docs/PROTOCOL.md talk to jeventlet through a proxy. */
class ZmqPythonPeerTest {
    private ZmqProxy proxy;
    private Transport transport;

    /** The Java side's endpoint. */
    public static final class JavaSide {
        final AtomicInteger casts = new AtomicInteger();

        public int inc(Context ctx, int n) {
            return n + 1;
        }

        public String whoami(Context ctx) {
            return "java";
        }

        public void note(Context ctx, int n) {
            casts.addAndGet(n);
        }
    }

    @BeforeEach
    void start() {
        proxy = ZmqProxy.start("tcp://127.0.0.1:0");
        transport = Transport.create(ZmqRpcTest.conf(proxy.transportUrl()));
    }

    @AfterEach
    void stop() {
        transport.close();
        proxy.close();
    }

    /** A pyzmq client calls and casts to a jeventlet server, and gets NOROUTE for a target with no server. */
    @Test
    void pythonClientCallsJavaServer() throws Exception {
        JavaSide side = new JavaSide();
        RpcServer server = new RpcServer(transport, new Target("jt").withServer("j1"), List.of(side));
        server.start();
        try {
            String url = proxy.transportUrl();
            assertEquals(Map.of("result", 42), PyZmqPeer.once("call", url, "jt", "-", "inc", "{\"n\": 41}"));
            assertEquals(Map.of("result", "java"), PyZmqPeer.once("call", url, "jt", "j1", "whoami", "{}"));
            Map<String, Object> noRoute = PyZmqPeer.once("call", url, "nobody", "-", "inc", "{\"n\": 1}");
            assertTrue(String.valueOf(noRoute.get("noroute")).contains("nobody"), noRoute.toString());
            PyZmqPeer.once("cast", url, "jt", "-", "note", "{\"n\": 5}");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (side.casts.get() != 5 && System.nanoTime() < deadline) {
                Eventlet.sleep(0.01);
            }
            assertEquals(5, side.casts.get(), "the python cast reached the Java endpoint");
        } finally {
            server.stop();
            server.await();
        }
    }

    /** A jeventlet client calls and casts to a pyzmq server registered through the proxy. */
    @Test
    void javaClientCallsPythonServer() throws Exception {
        try (PyZmqPeer py = PyZmqPeer.start("server", proxy.transportUrl(), "pt", "p1")) {
            assertEquals("READY", py.nextLine(20));
            RpcClient client = new RpcClient(transport, new Target("pt")).withTimeout(10);
            assertEquals(42, client.call(Context.empty(), "inc", Map.of("n", 41), Integer.class));
            assertEquals("python", client.withServer("p1").call(Context.empty(), "whoami", Map.of()));
            RemoteError e = assertThrows(RemoteError.class,
                    () -> client.call(Context.empty(), "fail", Map.of("why", "from python")));
            assertEquals("ValueError", e.excType());
            assertEquals("from python", e.value());
            client.cast(Context.empty(), "note", Map.of("n", 7));
            assertEquals("CAST {\"n\": 7}", py.nextLine(10));
        }
    }
}

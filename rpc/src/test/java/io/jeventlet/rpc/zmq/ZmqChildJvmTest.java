package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Proxies and a server in child JVMs: calls cross processes, survive a killed proxy, and SIGTERM stops a proxy cleanly. */
// Each test starts up to three cold child JVMs and waits for each to say it is up: on two cores
// shared with brokers and builds that has taken over the 60 s default, with every wait still moving.
@Timeout(180)
class ZmqChildJvmTest {
    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private Process java(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.trackAllThreads=false", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=zmq-main.xml", mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
        children.add(p);
        return p;
    }

    private String read(String file) throws IOException {
        Path f = dir.resolve(file);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** Waits (cooperatively, bounded) until {@code file} contains {@code text}; fails if the process ends first. */
    private void await(Process p, String file, String text) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ZmqTestKit.CHILD_START_SECONDS);
        while (!read(file).contains(text)) {
            assertTrue(p.isAlive(), file + " ended early: " + read(file) + read(file.replace(".out", ".err")));
            assertTrue(System.nanoTime() < deadline, "never saw '" + text + "' in " + file + ": " + read(file));
            Eventlet.sleep(0.05);
        }
    }

    /** A proxy child JVM and the port it bound. */
    private record Proxy(Process process, int port) {}

    /**
     * Starts a proxy on a port it picks itself (port 0) and returns once it
     * listens: no port is chosen here and bound later by another process.
     */
    private Proxy proxy(String name) throws IOException {
        Process p = java(name, ZmqProxyMain.class.getName(), "--port", "0",
                "--rpc_zmq.heartbeat_interval=0.25s", "--rpc_zmq.registration_ttl=2.5s");
        return new Proxy(p, Integer.parseInt(
                ZmqTestKit.awaitMatch(p, dir.resolve(name + ".err"), ZmqTestKit.PROXY_LISTENING)));
    }

    /**
     * Two proxies and a server in three child JVMs: this JVM's calls are
     * served by the other JVM, and once one proxy is killed (SIGKILL) no call
     * fails.
     */
    @Test
    void callsCrossJvmsThroughTwoProxiesAndSurviveOneKilled() throws Exception {
        Proxy proxy1 = proxy("proxy1");
        Process p1 = proxy1.process();
        String url = "zmq://127.0.0.1:" + proxy1.port() + ",127.0.0.1:" + proxy("proxy2").port();
        Process server = java("server", ZmqEchoServerMain.class.getName(), url, "child");
        await(server, "server.out", "READY");
        try (Transport t = Transport.create(ZmqRpcTest.conf(url))) {
            RpcClient client = new RpcClient(t, new Target("echo")).withTimeout(10);
            // READY means one proxy has the registration; calls go round robin over both proxies,
            // so 20 successes in a row mean both know the server.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int ok = 0; ok < 20; ) {
                assertTrue(System.nanoTime() < deadline, "the server never became reachable through both proxies: "
                        + read("proxy1.err") + read("proxy2.err") + read("server.err"));
                try {
                    client.call(Context.empty(), "inc", Map.of("n", 1));
                    ok++;
                } catch (io.jeventlet.rpc.MessageDeliveryFailure notYet) {
                    ok = 0;
                    Eventlet.sleep(0.05);
                }
            }
            long pid = client.call(Context.empty(), "pid", Map.of(), Long.class);
            assertEquals(server.pid(), pid);
            assertNotEquals(ProcessHandle.current().pid(), pid);
            p1.destroyForcibly();
            assertTrue(p1.waitFor(10, TimeUnit.SECONDS));
            for (int i = 0; i < 200; i++) {
                assertEquals(i + 1, client.call(Context.empty(), "inc", Map.of("n", i), Integer.class));
            }
        }
    }

    /** SIGTERM stops a proxy process cleanly: it closes and exits 0. */
    @Test
    void sigtermStopsProxyCleanly() throws Exception {
        Process p = proxy("proxy").process();
        Process kill = new ProcessBuilder("sh", "-c", "kill -TERM " + p.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the proxy did not exit: " + read("proxy.err"));
        assertEquals(0, p.exitValue(), read("proxy.err"));
        assertTrue(read("proxy.err").contains("closed"), read("proxy.err"));
    }

    /** A bad option stops the proxy at start with a message naming it. */
    @Test
    void badOptionIsReportedAtStart() throws Exception {
        Process p = java("bad", ZmqProxyMain.class.getName(), "--rpc_zmq.heartbeat_interval=-1s");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        String all = read("bad.out") + read("bad.err");
        assertTrue(all.contains("heartbeat_interval"), all);
    }
}

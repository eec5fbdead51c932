package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.RpcOpts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/zmq-conformance} (pyzmq, written from docs/PROTOCOL.md) checks a
 * live {@link ZmqProxy} against the document and passes every check.
 */
class ZmqConformanceTest {
    private static final Path SCRIPT = Path.of("..", "bin", "zmq-conformance");

    @Test
    void proxyConformsToTheDocument() throws Exception {
        PyZmqPeer.require();
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.MAX_MESSAGE_SIZE, 1L << 20).load();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", conf)) {
            Process p = new ProcessBuilder(PyZmqPeer.PYTHON, SCRIPT.toString(), proxy.transportUrl(),
                    "--max-message-size", Long.toString(1L << 20))
                    .redirectErrorStream(true).start();
            String out;
            try {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/zmq-conformance did not end within 120 s");
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException | InterruptedException e) {
                throw e;
            } finally {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("# 13 of 13 checks passed"), out);
        }
    }
}

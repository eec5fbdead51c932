package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.MessageDeliveryFailure;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.service.TracingInterceptor;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One trace across two JVMs: a client span here, the server span in a child JVM as its child. */
class TracingAcrossJvmsTest {
    @TempDir
    Path dir;

    /**
     * A call through a zmq proxy from this JVM (SDK with the in-memory
     * exporter) to a server in a child JVM (its own SDK): the server's span
     * has this call's trace id and the client span as its parent; without an
     * SDK nothing is added to the request.
     */
    @Test
    void oneTraceCrossesTwoJvms() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        Process child = null;
        // The proxy binds a port it picks (0): none is chosen here and bound later.
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", ZmqRpcTest.conf("zmq://127.0.0.1:0"))) {
            String url = proxy.transportUrl();
            child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.trackAllThreads=false", "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=zmq-main.xml",
                    TracedServerMain.class.getName(), url)
                    .redirectOutput(dir.resolve("child.out").toFile()).redirectError(dir.resolve("child.err").toFile())
                    .start();
            await(child, "READY");
            try (Transport t = Transport.create(ZmqRpcTest.conf(url)).intercept(new TracingInterceptor(sdk))) {
                RpcClient client = new RpcClient(t, new Target("traced")).withTimeout(10);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (true) {
                    try {
                        assertEquals("hi", client.call(Context.empty(), "echo", Map.of("text", "hi")));
                        break;
                    } catch (MessageDeliveryFailure notYetRegistered) {
                        assertTrue(System.nanoTime() < deadline, "the child's server never became reachable");
                        spans.reset();
                        Eventlet.sleep(0.05);
                    }
                }
            }
            List<SpanData> clientSpans = spans.getFinishedSpanItems();
            assertEquals(1, clientSpans.size(), clientSpans.toString());
            SpanData clientSpan = clientSpans.get(0);
            assertEquals(SpanKind.CLIENT, clientSpan.getKind());
            assertEquals("traced.echo", clientSpan.getName());
            String line = await(child, "SPAN " + clientSpan.getTraceId());
            String[] f = line.split(" ");
            assertEquals(clientSpan.getTraceId(), f[1], "one trace across both JVMs");
            assertNotEquals(clientSpan.getSpanId(), f[2]);
            assertEquals(clientSpan.getSpanId(), f[3], "the server span is the client span's child");
            assertEquals("SERVER", f[4]);
            assertEquals("traced.echo", f[5]);
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            provider.close();
        }
    }

    /** Without an SDK the interceptor adds nothing to the request context. */
    @Test
    void withoutAnSdkNothingIsCarried() {
        io.jeventlet.rpc.Invocation inv = new io.jeventlet.rpc.Invocation(io.jeventlet.rpc.Invocation.Side.CLIENT,
                new Target("t"), "m", Context.empty(), Map.of(), false, 5, null);
        Object[] seen = new Object[1];
        new TracingInterceptor(io.opentelemetry.api.OpenTelemetry.noop()).intercept(inv, i -> {
            seen[0] = i.context();
            return null;
        });
        assertEquals(Map.of(), ((Context) seen[0]).asMap());
    }

    /** Waits (bounded) for a line of the child's standard output starting with {@code prefix}; returns it. */
    private String await(Process p, String prefix) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Path out = dir.resolve("child.out");
            if (Files.exists(out)) {
                for (String line : Files.readAllLines(out)) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
            assertTrue(p.isAlive(), "the child ended: " + Files.readString(dir.resolve("child.err")));
            assertTrue(System.nanoTime() < deadline, "the child never printed " + prefix + ": "
                    + (Files.exists(out) ? Files.readString(out) : "") + Files.readString(dir.resolve("child.err")));
            Eventlet.sleep(0.05);
        }
    }
}

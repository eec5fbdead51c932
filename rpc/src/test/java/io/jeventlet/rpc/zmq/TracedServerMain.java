package io.jeventlet.rpc.zmq;

import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import io.jeventlet.service.TracingInterceptor;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;

/**
 * A traced RPC server in a child JVM for {@link TracingAcrossJvmsTest}: an
 * OpenTelemetry SDK installed as the global one (as an application would),
 * the server's transport intercepted with {@link TracingInterceptor}, and
 * every finished span printed as {@code SPAN traceId spanId parentSpanId kind name}.
 * Serves topic {@code traced} on {@code args[0]} (a zmq:// URL).
 */
public final class TracedServerMain {
    /** The endpoint. */
    public static final class Echo {
        public String echo(Context ctx, String text) {
            return text;
        }
    }

    public static void main(String[] args) {
        SpanExporter printer = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                for (SpanData s : spans) {
                    System.out.println("SPAN " + s.getTraceId() + " " + s.getSpanId() + " " + s.getParentSpanId() + " "
                            + s.getKind() + " " + s.getName());
                }
                System.out.flush();
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(printer)).build()).buildAndRegisterGlobal();
        ConfigOpts conf = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, args[0])
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25).override(ZmqOpts.REGISTRATION_TTL, 2.5).load();
        Transport transport = Transport.create(conf).intercept(new TracingInterceptor());
        RpcServer server = new RpcServer(transport, new Target("traced").withServer("child"), List.of(new Echo()));
        server.start();
        System.out.println("READY");
        System.out.flush();
        while (true) {
            Eventlet.sleep(1); // a timer keeps the main hub alive while requests come in
        }
    }
}

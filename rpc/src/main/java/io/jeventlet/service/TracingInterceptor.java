package io.jeventlet.service;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.Invocation;
import io.jeventlet.rpc.RpcInterceptor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.function.Supplier;

/**
 * Traces RPC across processes with the OpenTelemetry API: a client span
 * ({@link SpanKind#CLIENT}) around each call or cast, and on the server a
 * {@link SpanKind#SERVER} span around the endpoint method whose parent is
 * the caller's span. The span context travels as a W3C {@code traceparent}
 * (and {@code tracestate}, when there is one) in the request context, so on
 * the wire it is the request field {@code _context_traceparent}: Python
 * peers keep it as an unknown context key and ignore it.
 *
 * <p>Off unless the application installs an OpenTelemetry SDK (as
 * {@link GlobalOpenTelemetry}, or passes one to the constructor): with the
 * API alone every span is a no-op, its context invalid, and nothing is added
 * to the request. Libraries never pick an exporter.
 *
 * <p>Span names are {@code <topic>.<method>}; attributes follow
 * OpenTelemetry's RPC conventions ({@code rpc.system = oslo_messaging},
 * {@code rpc.service} the topic, {@code rpc.method}) plus
 * {@code oslo_messaging.server}, {@code oslo_messaging.cast} and, on the
 * server, {@code oslo_messaging.endpoint}. A failure is recorded on the span
 * with status ERROR.
 *
 * <p>Thread-safe: OpenTelemetry's tracers are; the current span is per
 * green thread (OpenTelemetry keeps it in a thread-local, and each green
 * thread is its own virtual thread).
 */
public final class TracingInterceptor implements RpcInterceptor {
    /** The request context key of the W3C trace parent ({@code _context_traceparent} on the wire). */
    public static final String TRACEPARENT = "traceparent";
    /** The request context key of the W3C trace state. */
    public static final String TRACESTATE = "tracestate";
    private static final String SCOPE = "io.jeventlet.rpc";
    private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
    private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
    private static final AttributeKey<String> SERVER = AttributeKey.stringKey("oslo_messaging.server");
    private static final AttributeKey<Boolean> CAST = AttributeKey.booleanKey("oslo_messaging.cast");
    private static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("oslo_messaging.endpoint");

    private static final TextMapGetter<Context> FROM_CONTEXT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Context carrier) {
            return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(Context carrier, String key) {
            Object v = carrier == null ? null : carrier.get(key);
            return v instanceof String s ? s : null;
        }
    };

    private final Supplier<OpenTelemetry> otel;

    /** Traces with the application's global OpenTelemetry, looked up at each invocation (a no-op until set). */
    public TracingInterceptor() {
        this.otel = GlobalOpenTelemetry::get;
    }

    /** Traces with {@code openTelemetry}. */
    public TracingInterceptor(OpenTelemetry openTelemetry) {
        this.otel = () -> openTelemetry;
    }

    @Override
    public Object intercept(Invocation inv, Proceed next) {
        Tracer tracer = otel.get().getTracer(SCOPE);
        boolean client = inv.side() == Invocation.Side.CLIENT;
        var builder = tracer.spanBuilder(inv.target().topic() + "." + inv.method())
                .setSpanKind(client ? SpanKind.CLIENT : SpanKind.SERVER)
                .setAttribute(RPC_SYSTEM, "oslo_messaging")
                .setAttribute(RPC_SERVICE, String.valueOf(inv.target().topic()))
                .setAttribute(RPC_METHOD, inv.method())
                .setAttribute(CAST, inv.cast());
        if (inv.target().server() != null) {
            builder.setAttribute(SERVER, inv.target().server());
        }
        if (client) {
            builder.setParent(io.opentelemetry.context.Context.current());
        } else {
            if (inv.endpoint() != null) {
                builder.setAttribute(ENDPOINT, inv.endpoint());
            }
            builder.setParent(W3CTraceContextPropagator.getInstance()
                    .extract(io.opentelemetry.context.Context.root(), inv.context(), FROM_CONTEXT));
        }
        Span span = builder.startSpan();
        Invocation sent = inv;
        if (client && span.getSpanContext().isValid()) {
            Context[] ctx = {inv.context()};
            W3CTraceContextPropagator.getInstance().inject(io.opentelemetry.context.Context.current().with(span), ctx,
                    (carrier, key, value) -> carrier[0] = carrier[0].with(key, value));
            sent = inv.withContext(ctx[0]);
        }
        try (Scope ignored = span.makeCurrent()) {
            return next.proceed(sent);
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}

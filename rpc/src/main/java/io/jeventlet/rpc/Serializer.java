package io.jeventlet.rpc;

import java.util.Map;

/**
 * oslo.messaging's serializer: turns entities and the context into what
 * travels on the wire and back. Applied to each argument value and to the
 * result (client: before sending / after receiving; server: after receiving
 * / before sending), to notification payloads, and to the context. Every
 * method is a {@code default} that changes nothing.
 *
 * <p>Thread rule: one serializer may be used by many green threads of many
 * hubs at once; implementations must be thread-safe.
 */
public interface Serializer {

    /** The wire form of {@code entity} (a payload, argument or result). */
    default Object serializeEntity(Context ctx, Object entity) {
        return entity;
    }

    /** The entity {@code entity} (as decoded from the wire) stands for. */
    default Object deserializeEntity(Context ctx, Object entity) {
        return entity;
    }

    /** The wire form of {@code ctx}: its entries. */
    default Map<String, Object> serializeContext(Context ctx) {
        return ctx.asMap();
    }

    /** The context the wire entries {@code context} stand for. */
    default Context deserializeContext(Map<String, Object> context) {
        return Context.of(context);
    }
}

package io.jeventlet.rpc;

import java.util.Map;

/**
 * Turns application values into what travels on the wire and back:
 * oslo.messaging's {@code Serializer}. A client serializes each argument
 * value and the context before sending and deserializes the result after
 * receiving; a server deserializes each argument value and the context after
 * receiving and serializes the result before sending; a notifier serializes
 * payloads. Every method is a default that changes nothing (oslo's
 * {@code NoOpSerializer}), so an implementation overrides only what it maps.
 *
 * <p>Thread rule: one serializer serves every green thread of every hub of
 * its client or server at once; it must be thread-safe (stateless is best).
 * An exception it throws fails that call (client side) or is answered to the
 * caller as a {@link RemoteError} (server side).
 *
 * <pre>{@code
 * record Router(String id, String name) {}
 * Serializer routers = new Serializer() {
 *     public Object serializeEntity(Context ctx, Object e) {
 *         return e instanceof Router r ? Map.of("nova_object.name", "Router",
 *                 "nova_object.data", Map.of("id", r.id(), "name", r.name())) : e;
 *     }
 *     public Object deserializeEntity(Context ctx, Object e) {
 *         return e instanceof Map<?, ?> m && "Router".equals(m.get("nova_object.name"))
 *                 ? toRouter((Map<?, ?>) m.get("nova_object.data")) : e;
 *     }
 * };
 * }</pre>
 */
public interface Serializer {

    /** The wire form of {@code entity} (an argument value, a result, a payload). */
    default Object serializeEntity(Context ctx, Object entity) {
        return entity;
    }

    /** The application value of {@code entity} as received. */
    default Object deserializeEntity(Context ctx, Object entity) {
        return entity;
    }

    /** The context as its wire dictionary (each entry becomes a {@code _context_<key>} field). */
    default Map<String, Object> serializeContext(Context ctx) {
        return ctx.asMap();
    }

    /** The context rebuilt from its wire dictionary. */
    default Context deserializeContext(Map<String, Object> context) {
        return Context.of(context);
    }
}

package io.jeventlet.rpc.notify;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeventlet.rpc.Context;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo's {@code NotificationDispatcher}: finds, for each priority, the
 * endpoints with a method of that name and calls them in the endpoints'
 * order, skipping those whose {@link NotificationFilter} does not match,
 * until one returns {@link NotificationResult#REQUEUE}. Immutable after
 * construction; {@link #dispatch} runs in the calling green thread.
 *
 * <p>An endpoint method is public, not static, named after a priority in
 * lower case, and takes {@code (Context, String publisherId, String
 * eventType, P payload, Map<String, Object> metadata)}; it returns
 * {@code void} or {@link NotificationResult}. The payload is converted to
 * {@code P}'s generic type with Jackson's {@code convertValue}.
 */
final class NotificationDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);

    /** What one dispatch came to. {@code FAILED}: an endpoint threw (logged here). */
    enum Outcome { HANDLED, REQUEUE, FAILED }

    private record Callback(Object endpoint, Method method, JavaType payloadType, Pattern publisher, Pattern eventType) {
        boolean matches(String publisherId, String type) {
            return matches(publisher, publisherId) && matches(eventType, type);
        }

        private static boolean matches(Pattern p, String value) {
            return p == null || value != null && p.matcher(value).lookingAt();
        }

        String describe() {
            return endpoint.getClass().getSimpleName() + "." + method.getName();
        }
    }

    private final ObjectMapper mapper;
    private final Map<Priority, List<Callback>> byPriority = new EnumMap<>(Priority.class);

    /**
     * Scans {@code endpoints} once.
     *
     * @throws IllegalArgumentException for a priority method with the wrong
     *         parameters or return type, or a filter pattern that does not
     *         compile, naming the endpoint and the method
     */
    NotificationDispatcher(List<?> endpoints, ObjectMapper mapper) {
        this.mapper = mapper;
        for (Object endpoint : endpoints) {
            Class<?> type = endpoint.getClass();
            NotificationFilter filter = type.getAnnotation(NotificationFilter.class);
            Pattern publisher = filter == null ? null : compile(type, "publisherId", filter.publisherId());
            Pattern eventType = filter == null ? null : compile(type, "eventType", filter.eventType());
            for (Priority p : Priority.values()) {
                Method m = find(type, p.lower());
                if (m != null) {
                    byPriority.computeIfAbsent(p, k -> new ArrayList<>())
                            .add(new Callback(endpoint, m, payloadType(m), publisher, eventType));
                }
            }
        }
    }

    private static Pattern compile(Class<?> type, String element, String regex) {
        if (regex.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("@NotificationFilter(" + element + " = \"" + regex + "\") on "
                    + type.getName() + " is not a valid regular expression: " + e.getDescription(), e);
        }
    }

    private static Method find(Class<?> type, String name) {
        Method found = null;
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(name) || m.getDeclaringClass() == Object.class
                    || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Class<?>[] params = m.getParameterTypes();
            if (params.length != 5 || params[0] != Context.class || params[1] != String.class
                    || params[2] != String.class || !Map.class.isAssignableFrom(params[4])) {
                throw new IllegalArgumentException("notification endpoint method " + type.getName() + "." + name
                        + " must take (Context ctx, String publisherId, String eventType, P payload,"
                        + " Map<String, Object> metadata); it takes " + List.of(params));
            }
            if (m.getReturnType() != void.class && m.getReturnType() != NotificationResult.class) {
                throw new IllegalArgumentException("notification endpoint method " + type.getName() + "." + name
                        + " must return void or NotificationResult; it returns " + m.getReturnType().getName());
            }
            if (found != null) {
                throw new IllegalArgumentException("notification endpoint " + type.getName() + " has two methods named "
                        + name + "; keep one");
            }
            found = m;
        }
        if (found != null) {
            found.setAccessible(true);
        }
        return found;
    }

    private JavaType payloadType(Method m) {
        return mapper.getTypeFactory().constructType(m.getGenericParameterTypes()[3]);
    }

    /** The priorities some endpoint handles: what a listener consumes. */
    Set<Priority> priorities() {
        return byPriority.keySet();
    }

    /**
     * Calls the endpoints for {@code priority} in order until one returns
     * REQUEUE or throws (logged here, {@link Outcome#FAILED}).
     */
    Outcome dispatch(Priority priority, Context ctx, String publisherId, String eventType, Object payload,
                     Map<String, Object> metadata) {
        for (Callback c : byPriority.getOrDefault(priority, List.of())) {
            if (!c.matches(publisherId, eventType)) {
                continue;
            }
            try {
                Object arg = c.payloadType.getRawClass() == Object.class ? payload
                        : mapper.convertValue(payload, c.payloadType);
                Object result = c.method.invoke(c.endpoint, ctx, publisherId, eventType, arg, metadata);
                if (result == NotificationResult.REQUEUE) {
                    return Outcome.REQUEUE;
                }
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err && !(cause instanceof AssertionError)) {
                    throw err;
                }
                LOG.error("notification endpoint {} raised on {} ({}) {}", c.describe(), eventType, priority.lower(),
                        ctx, cause);
                return Outcome.FAILED;
            } catch (IllegalArgumentException e) {
                LOG.error("notification endpoint {} cannot take the payload of {} ({}): {}", c.describe(), eventType,
                        priority.lower(), e.getMessage());
                return Outcome.FAILED;
            } catch (IllegalAccessException e) {
                LOG.error("notification endpoint {} cannot be invoked", c.describe(), e);
                return Outcome.FAILED;
            }
        }
        return Outcome.HANDLED;
    }
}

package io.jeventlet.rpc;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and runs the endpoint method a request names: oslo.messaging's
 * {@code RPCDispatcher} with its default access policy.
 *
 * <p>Thread-safe: built once, then read only.
 *
 * <p>What is callable: the public, non-static methods an endpoint's own class
 * declares whose first parameter is a {@link Context} — never a method of
 * {@code Object} (not even one the class overrides, such as
 * {@code hashCode}), never an inherited one, never a synthetic or bridge
 * method, never a name starting with {@code _}. Each has one name on the
 * wire: its {@link RpcMethod} value, else its Java name; two callable
 * methods of one class with the same wire name are rejected at construction.
 *
 * <p>Dispatch (oslo's): the first endpoint whose namespace equals the
 * request's and whose version is compatible ({@link Versions}; a request
 * without a version asks for {@code "1.0"}) and that has the method. A
 * compatible endpoint without it: {@link NoSuchMethod}; none compatible:
 * {@link UnsupportedVersion}. A request name with no exact match is tried in
 * camelCase ({@code routers_updated} -> {@code routersUpdated}); so is an
 * argument name.
 *
 * <p>Binding: each argument goes to the parameter of that name (its
 * {@link RpcArg}, else its compiled name, which needs javac
 * {@code -parameters}), converted with Jackson's {@code convertValue} to the
 * parameter's declared (generic) type. A missing, unknown, duplicate or
 * unconvertible argument is an {@link IllegalArgumentException} naming the
 * parameter, and the method does not run.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final List<EndpointTable> endpoints;
    private final ObjectMapper mapper;

    /** One endpoint object with its namespace, version and callable methods by wire name. */
    private record EndpointTable(Object endpoint, String namespace, String version, Map<String, Invocable> methods) {
    }

    /** One callable method: its wire name and its parameters' names and types (after the Context). */
    private record Invocable(Object endpoint, Method method, String name, String[] params, JavaType[] types) {
    }

    /**
     * Scans {@code endpoints} once.
     *
     * @throws IllegalArgumentException for an endpoint whose parameter names
     *         cannot be known, an ambiguous wire name, or a bad
     *         {@link RpcEndpoint} version
     */
    Dispatcher(List<?> endpoints, ObjectMapper mapper) {
        this.mapper = mapper;
        List<EndpointTable> tables = new ArrayList<>();
        for (Object endpoint : Objects.requireNonNull(endpoints, "endpoints")) {
            tables.add(scan(Objects.requireNonNull(endpoint, "endpoint"), mapper));
        }
        this.endpoints = List.copyOf(tables);
    }

    private static EndpointTable scan(Object endpoint, ObjectMapper mapper) {
        Class<?> type = endpoint.getClass();
        RpcEndpoint ann = type.getAnnotation(RpcEndpoint.class);
        String namespace = ann == null || ann.namespace().isEmpty() ? null : ann.namespace();
        String version = ann == null ? "1.0" : ann.version();
        try {
            Target.checkVersion(version);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint " + type.getName() + ": @RpcEndpoint " + e.getMessage(), e);
        }
        Map<String, Invocable> methods = new HashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            if (!callable(m)) {
                continue;
            }
            Parameter[] ps = m.getParameters();
            if (ps.length == 0 || ps[0].getType() != Context.class) {
                LOG.debug("endpoint {}: public method {} is not an RPC method: its first parameter is not a Context",
                        type.getName(), m.getName());
                continue;
            }
            RpcMethod named = m.getAnnotation(RpcMethod.class);
            String wire = named != null ? named.value() : m.getName();
            String[] params = new String[ps.length - 1];
            JavaType[] types = new JavaType[ps.length - 1];
            for (int i = 1; i < ps.length; i++) {
                RpcArg arg = ps[i].getAnnotation(RpcArg.class);
                if (arg != null) {
                    params[i - 1] = arg.value();
                } else if (ps[i].isNamePresent()) {
                    params[i - 1] = ps[i].getName();
                } else {
                    throw new IllegalArgumentException("endpoint " + type.getName() + ": the parameter names of "
                            + m.getName() + " are unknown (parameter " + i + " is '" + ps[i].getName() + "'): compile"
                            + " the endpoint class with javac -parameters or annotate each parameter with @RpcArg");
                }
                types[i - 1] = mapper.getTypeFactory().constructType(ps[i].getParameterizedType());
            }
            for (int i = 0; i < params.length; i++) {
                for (int j = i + 1; j < params.length; j++) {
                    if (params[i].equals(params[j])) {
                        throw new IllegalArgumentException("endpoint " + type.getName() + ": method " + m.getName()
                                + " binds two parameters to argument '" + params[i] + "'");
                    }
                }
            }
            m.trySetAccessible();
            Invocable previous = methods.put(wire, new Invocable(endpoint, m, wire, params, types));
            if (previous != null) {
                throw new IllegalArgumentException("endpoint " + type.getName() + ": two methods are RPC method '"
                        + wire + "' (" + previous.method() + " and " + m + "); overloads cannot be told apart on the"
                        + " wire, name one with @RpcMethod");
            }
        }
        return new EndpointTable(endpoint, namespace, version, Map.copyOf(methods));
    }

    /** The access policy: public, non-static, declared (not synthetic), not Object's, not {@code _}-prefixed. */
    private static boolean callable(Method m) {
        int mod = m.getModifiers();
        if (!Modifier.isPublic(mod) || Modifier.isStatic(mod) || m.isSynthetic() || m.isBridge()
                || m.getName().startsWith("_")) {
            return false;
        }
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return false;
        } catch (NoSuchMethodException e) {
            // Object's protected clone/finalize are not found by getMethod: check them by name.
            return !(m.getParameterCount() == 0 && (m.getName().equals("clone") || m.getName().equals("finalize")));
        }
    }

    /**
     * What dispatch chose for a request: the endpoint method, or the refusal
     * to raise when none matched. Immutable.
     *
     * @param method    the requested wire name
     * @param invocable the chosen method, or null
     * @param refusal   when {@code invocable} is null: {@link NoSuchMethod} or {@link UnsupportedVersion}
     */
    record Choice(String method, Invocable invocable, MessagingException refusal) {
        /** The simple class name of the chosen endpoint, or null when none matched. */
        String endpointName() {
            return invocable == null ? null : invocable.endpoint().getClass().getSimpleName();
        }
    }

    /**
     * Oslo's dispatch: the first endpoint whose namespace equals
     * {@code namespace} and whose version is compatible with {@code version}
     * (null: {@code "1.0"}) and that has {@code method}.
     */
    Choice choose(String namespace, String version, String method) {
        String v = version != null ? version : "1.0";
        boolean compatible = false;
        for (EndpointTable ep : endpoints) {
            if (!Objects.equals(ep.namespace(), namespace) || !Versions.compatible(ep.version(), v)) {
                continue;
            }
            Invocable inv = find(ep, method);
            if (inv != null) {
                return new Choice(method, inv, null);
            }
            compatible = true;
        }
        if (compatible) {
            return new Choice(method, null, new NoSuchMethod("Endpoint does not support RPC method " + method));
        }
        return new Choice(method, null, new UnsupportedVersion("Endpoint does not support RPC version " + v
                + ". Attempted method: " + method + (namespace != null ? " (namespace " + namespace + ")" : "")));
    }

    /**
     * Runs the method {@code request} names and returns its result (null for void).
     *
     * @throws InvocationTargetException wrapping what the method threw
     * @throws NoSuchMethod               no compatible endpoint has the method
     * @throws UnsupportedVersion         no endpoint serves the namespace and version
     * @throws IllegalArgumentException   an argument is missing, unknown or unconvertible
     */
    Object dispatch(RequestMessage request) throws InvocationTargetException, IllegalAccessException {
        return invoke(choose(request.namespace(), request.version(), request.method()), request.context(),
                request.args());
    }

    /**
     * Runs the chosen method with {@code ctx} and {@code args} bound to its
     * parameters; throws the choice's refusal when nothing was chosen.
     *
     * @throws InvocationTargetException wrapping what the method threw
     * @throws IllegalArgumentException   an argument is missing, unknown or unconvertible
     */
    Object invoke(Choice choice, Context ctx, Map<String, Object> args)
            throws InvocationTargetException, IllegalAccessException {
        if (choice.invocable() == null) {
            throw choice.refusal();
        }
        return invoke(choice.invocable(), ctx, args);
    }

    private static Invocable find(EndpointTable ep, String method) {
        Invocable inv = ep.methods().get(method);
        if (inv == null && method.indexOf('_') > 0) {
            inv = ep.methods().get(camel(method));
        }
        return inv;
    }

    private Object invoke(Invocable inv, Context ctx, Map<String, Object> args)
            throws InvocationTargetException, IllegalAccessException {
        Object[] values = new Object[inv.params().length + 1];
        values[0] = Objects.requireNonNull(ctx, "context");
        boolean[] bound = new boolean[inv.params().length];
        for (Map.Entry<String, Object> arg : Objects.requireNonNull(args, "args").entrySet()) {
            int i = index(inv.params(), arg.getKey());
            if (i < 0) {
                throw new IllegalArgumentException(inv.name() + "() got an unexpected argument '" + arg.getKey()
                        + "'; its parameters are " + List.of(inv.params()));
            }
            if (bound[i]) {
                throw new IllegalArgumentException(inv.name() + "() got two arguments for parameter '"
                        + inv.params()[i] + "'");
            }
            bound[i] = true;
            values[i + 1] = convert(inv, i, arg.getValue());
        }
        for (int i = 0; i < bound.length; i++) {
            if (!bound[i]) {
                throw new IllegalArgumentException(inv.name() + "() is missing argument '" + inv.params()[i] + "'");
            }
        }
        return inv.method().invoke(inv.endpoint(), values);
    }

    private Object convert(Invocable inv, int i, Object value) {
        JavaType type = inv.types()[i];
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException(inv.name() + "() argument '" + inv.params()[i] + "' is null;"
                        + " expected a " + type.getRawClass().getName());
            }
            return null;
        }
        try {
            return mapper.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(inv.name() + "() argument '" + inv.params()[i] + "' = "
                    + Envelope.describe(value) + " cannot be converted to " + type.toCanonical() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static int index(String[] params, String name) {
        for (int i = 0; i < params.length; i++) {
            if (params[i].equals(name)) {
                return i;
            }
        }
        if (name.indexOf('_') > 0) {
            String c = camel(name);
            for (int i = 0; i < params.length; i++) {
                if (params[i].equals(c)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** {@code routers_updated} -> {@code routersUpdated}. */
    static String camel(String snake) {
        StringBuilder b = new StringBuilder(snake.length());
        boolean up = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_' && i > 0) {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    /** The wire names of every callable method, per endpoint (for logs and tests). */
    Map<String, List<String>> describe() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (EndpointTable ep : endpoints) {
            out.put(ep.endpoint().getClass().getName(), ep.methods().keySet().stream().sorted().toList());
        }
        return out;
    }
}

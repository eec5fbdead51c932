package io.jeventlet.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server-side exception as it travels in a reply's {@code failure} field:
 * oslo's {@code serialize_remote_exception}, a JSON string of
 * {@code {class, module, message, tb, args, kwargs}}. For a Java exception
 * {@code class} is its simple name, {@code module} its package, {@code tb}
 * its stack trace as a list of lines (each ending in a newline, as Python's
 * {@code traceback.format_exception} gives them), {@code args} its message
 * as the one positional argument. A Python client that does not allow the
 * module raises {@code RemoteError(class, message, tb)}; a Java client
 * raises {@link RemoteError}. Immutable.
 *
 * @param className the exception's class name
 * @param module    its module (Python) or package (Java)
 * @param message   {@code str(exception)}; empty when it has none
 * @param tb        the traceback lines
 * @param args      the exception's positional arguments
 * @param kwargs    its keyword arguments
 */
record Failure(String className, String module, String message, List<String> tb, List<Object> args,
        Map<String, Object> kwargs) {
    /** Stack frames kept per exception: enough to find the fault, bounded so a reply stays small. */
    private static final int MAX_FRAMES = 60;

    /** The failure describing {@code t}; an {@link ExpectedException} is described by its cause. */
    static Failure of(Throwable t) {
        if (t instanceof ExpectedException && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        List<String> tb = new ArrayList<>();
        appendTrace(tb, t, "", 0);
        return new Failure(t.getClass().getSimpleName(), t.getClass().getPackageName(), message, tb,
                t.getMessage() == null ? List.of() : List.of(message), Map.of());
    }

    private static void appendTrace(List<String> tb, Throwable t, String prefix, int depth) {
        tb.add(prefix + t + "\n");
        StackTraceElement[] frames = t.getStackTrace();
        int n = Math.min(frames.length, MAX_FRAMES);
        for (int i = 0; i < n; i++) {
            tb.add("\tat " + frames[i] + "\n");
        }
        if (frames.length > n) {
            tb.add("\t... " + (frames.length - n) + " more\n");
        }
        if (t.getCause() != null && t.getCause() != t && depth < 8) {
            appendTrace(tb, t.getCause(), "Caused by: ", depth + 1);
        }
    }

    /** oslo's JSON string for the {@code failure} field. */
    String toJson(Envelope envelope) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", className);
        m.put("module", module);
        m.put("message", message);
        m.put("tb", tb);
        m.put("args", args);
        m.put("kwargs", kwargs);
        try {
            return envelope.mapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            // args come from our own exceptions or a peer's JSON: always encodable; keep the rest if not.
            m.put("args", List.of(message));
            m.put("kwargs", Map.of());
            try {
                return envelope.mapper().writeValueAsString(m);
            } catch (JsonProcessingException again) {
                throw new InvalidMessage("failure of class " + className + " cannot be encoded: " + again.getMessage());
            }
        }
    }

    /**
     * Reads oslo's failure string, leniently as oslo does: missing fields
     * are empty.
     *
     * @throws InvalidMessage when it is not a JSON object
     */
    static Failure fromJson(String json, Envelope envelope) {
        Map<String, Object> m = envelope.parseObject(json, "reply field 'failure'");
        Object tbValue = m.get("tb");
        List<String> tb = new ArrayList<>();
        if (tbValue instanceof List<?> list) {
            list.forEach(line -> tb.add(String.valueOf(line)));
        } else if (tbValue != null) {
            tb.add(String.valueOf(tbValue));
        }
        Object args = m.get("args");
        Object kwargs = m.get("kwargs");
        @SuppressWarnings("unchecked")
        Failure f = new Failure(text(m.get("class")), text(m.get("module")), text(m.get("message")), tb,
                args instanceof List<?> l ? new ArrayList<>(l) : List.of(),
                kwargs instanceof Map<?, ?> km ? (Map<String, Object>) km : Map.of());
        return f;
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v);
    }

    /** The error a Java caller sees: {@code excType} = class, {@code value} = message, the traceback's lines. */
    RemoteError toRemoteError() {
        StringBuilder trace = new StringBuilder();
        for (String line : tb) {
            String l = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
            if (!trace.isEmpty()) {
                trace.append('\n');
            }
            trace.append(l);
        }
        return new RemoteError(className, message, trace.toString(), module, args, kwargs);
    }
}

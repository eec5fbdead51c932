package io.jeventlet.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's method failed: oslo's {@code RemoteError}. Carries what the
 * server sent: the exception's class name, module (Python) or package
 * (Java), message, traceback, and the positional and keyword arguments it
 * was raised with. Immutable.
 *
 * <p>With {@code rpc.allowed_remote_exmods}: when the failure's module is in
 * the list and {@code module + "." + class} names a class the client's class
 * loader finds, that extends {@link RuntimeException} and has a public
 * {@code (String message)} constructor, a call throws an instance of that
 * class (message = the remote message) whose {@code getCause()} is this
 * error; otherwise it throws this error.
 */
public class RemoteError extends MessagingException {
    private static final long serialVersionUID = 1L;

    private final String excType;
    private final String value;
    private final String traceback;
    private final String module;
    private final List<Object> args;
    private final Map<String, Object> kwargs;

    /** An error without module, arguments or keyword arguments. */
    public RemoteError(String excType, String value, String traceback) {
        this(excType, value, traceback, "", List.of(), Map.of());
    }

    /**
     * An error with everything a failure carries.
     *
     * @param module the exception's module or package; null is taken as {@code ""}
     * @param args   its positional arguments (copied; null: none)
     * @param kwargs its keyword arguments (copied; null: none)
     */
    public RemoteError(String excType, String value, String traceback, String module, List<?> args,
            Map<String, ?> kwargs) {
        super("Remote error: " + excType + " " + value);
        this.excType = excType;
        this.value = value;
        this.traceback = traceback;
        this.module = module == null ? "" : module;
        this.args = args == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(args));
        this.kwargs = kwargs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    }

    /** The simple class name of the server's exception (e.g. {@code ValueError}, {@code NoSuchMethod}). */
    public String excType() {
        return excType;
    }

    /** The server's exception message. */
    public String value() {
        return value;
    }

    /** The server's traceback, lines joined with newlines; may be empty. */
    public String traceback() {
        return traceback;
    }

    /** The server exception's Python module or Java package; {@code ""} when none was sent. */
    public String module() {
        return module;
    }

    /** The exception's positional arguments as the failure carried them (unmodifiable; empty when none). */
    public List<Object> args() {
        return args;
    }

    /** The exception's keyword arguments as the failure carried them (unmodifiable; empty when none). */
    public Map<String, Object> kwargs() {
        return kwargs;
    }
}

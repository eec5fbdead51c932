package io.jeventlet.rpc;

/**
 * The server's method failed: oslo's {@code RemoteError}. Carries what the
 * server sent: the exception's class name, its message and its traceback.
 * Immutable.
 */
public class RemoteError extends MessagingException {
    private static final long serialVersionUID = 1L;

    private final String excType;
    private final String value;
    private final String traceback;

    public RemoteError(String excType, String value, String traceback) {
        super("Remote error: " + excType + " " + value);
        this.excType = excType;
        this.value = value;
        this.traceback = traceback;
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
}

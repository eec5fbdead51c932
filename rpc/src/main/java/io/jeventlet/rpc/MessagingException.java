package io.jeventlet.rpc;

/**
 * The base of every RPC error: oslo.messaging's {@code MessagingException}.
 * Unchecked, so a caller handles the subclasses it cares about.
 */
public class MessagingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MessagingException(String message) {
        super(message);
    }

    public MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}

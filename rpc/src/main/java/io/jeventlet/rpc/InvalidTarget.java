package io.jeventlet.rpc;

/** The target cannot be used for this operation: a call to a fanout target, or no topic. oslo's {@code InvalidTarget}. */
public class InvalidTarget extends MessagingException {
    private static final long serialVersionUID = 1L;

    public InvalidTarget(String message) {
        super(message);
    }

    public InvalidTarget(String message, Throwable cause) {
        super(message, cause);
    }
}

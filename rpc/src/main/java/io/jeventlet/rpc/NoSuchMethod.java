package io.jeventlet.rpc;

/** A compatible endpoint exists but has no such method. oslo's {@code NoSuchMethod}; a caller sees it as a {@link RemoteError} with this {@code excType}. */
public class NoSuchMethod extends MessagingException {
    private static final long serialVersionUID = 1L;

    public NoSuchMethod(String message) {
        super(message);
    }

    public NoSuchMethod(String message, Throwable cause) {
        super(message, cause);
    }
}

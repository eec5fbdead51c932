package io.jeventlet.rpc;

/** The requested version is above the client's version cap, or no endpoint of the server serves a compatible version. oslo's {@code UnsupportedVersion}. */
public class UnsupportedVersion extends MessagingException {
    private static final long serialVersionUID = 1L;

    public UnsupportedVersion(String message) {
        super(message);
    }

    public UnsupportedVersion(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jeventlet.rpc;

/** No reply came within the call's timeout (or the server's heartbeats stopped): oslo's {@code MessagingTimeout}. */
public class MessagingTimeout extends MessagingException {
    private static final long serialVersionUID = 1L;

    public MessagingTimeout(String message) {
        super(message);
    }

    public MessagingTimeout(String message, Throwable cause) {
        super(message, cause);
    }
}

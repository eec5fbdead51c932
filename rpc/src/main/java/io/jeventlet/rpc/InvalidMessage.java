package io.jeventlet.rpc;

/**
 * A message that cannot be encoded or decoded: not JSON, not oslo's envelope,
 * an unsupported envelope version, larger than {@code rpc.max_message_size},
 * nested deeper than {@code rpc.max_message_depth}, or missing a field a
 * request or reply must have. The message names what was wrong and what was
 * expected. A receiver logs and counts it and goes on serving.
 */
public class InvalidMessage extends MessagingException {
    private static final long serialVersionUID = 1L;

    public InvalidMessage(String message) {
        super(message);
    }

    public InvalidMessage(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.jeventlet.rpc;

/**
 * Wraps an exception that an endpoint method expects to raise (oslo's
 * {@code expected_exceptions}): the caller still gets a {@link RemoteError}
 * carrying the cause's class and message, but the server logs it at DEBUG
 * only, not as a failure.
 */
public class ExpectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExpectedException(Throwable cause) {
        super(cause);
    }
}

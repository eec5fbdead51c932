package io.jeventlet.rpc.spi;

/**
 * The request can reach no server: no route, no live server registered, no
 * queue bound, or the connection it went out on was lost before it could be
 * answered. The API layer raises it as {@code MessageDeliveryFailure}.
 * Immutable.
 */
public class DeliveryException extends DriverException {
    private static final long serialVersionUID = 1L;

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}

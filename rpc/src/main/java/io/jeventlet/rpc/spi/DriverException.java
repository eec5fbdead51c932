package io.jeventlet.rpc.spi;

/**
 * A driver could not do what it was asked: the bus is unreachable, the
 * driver is closed, the broker refused an operation. The SPI's own error
 * type, so a driver needs nothing from the API package; the transport turns
 * it into the API's {@code MessagingException} (and its subclasses:
 * {@link DeliveryException} becomes {@code MessageDeliveryFailure},
 * {@link DriverTimeoutException} {@code MessagingTimeout}) with the same
 * message and this exception as the cause. Unchecked; immutable.
 */
public class DriverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}

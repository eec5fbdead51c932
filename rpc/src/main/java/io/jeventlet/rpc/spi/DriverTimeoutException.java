package io.jeventlet.rpc.spi;

/**
 * The bus did not confirm in time (e.g. a broker's publisher confirm). The
 * API layer raises it as {@code MessagingTimeout}. Immutable.
 */
public class DriverTimeoutException extends DriverException {
    private static final long serialVersionUID = 1L;

    public DriverTimeoutException(String message) {
        super(message);
    }
}

package io.jeventlet.rpc.spi;

/**
 * Opens drivers for one URL scheme. Listed in
 * {@code META-INF/services/io.jeventlet.rpc.spi.DriverFactory}; needs a
 * public no-argument constructor. Thread-safe.
 */
public interface DriverFactory {

    /** The URL scheme this factory serves, e.g. {@code "zmq"}. */
    String scheme();

    /**
     * Opens a driver for {@code url}. May block cooperatively (it is called
     * from a green thread or a plain thread); it need not reach the bus yet:
     * a driver connects lazily or retries in the background.
     *
     * @throws IllegalArgumentException naming what is wrong with the URL or options
     */
    Driver open(TransportUrl url, DriverContext context);
}

package io.jeventlet.rpc.rabbit;

import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.DriverFactory;
import io.jeventlet.rpc.spi.TransportUrl;

/**
 * Opens {@link RabbitDriver}s for {@code rabbit://} URLs; listed in
 * {@code META-INF/services/io.jeventlet.rpc.spi.DriverFactory}. Thread-safe.
 */
public final class RabbitDriverFactory implements DriverFactory {

    @Override
    public String scheme() {
        return "rabbit";
    }

    @Override
    public Driver open(TransportUrl url, DriverContext context) {
        return new RabbitDriver(url, context);
    }
}

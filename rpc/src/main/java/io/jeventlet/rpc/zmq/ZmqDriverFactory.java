package io.jeventlet.rpc.zmq;

import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.DriverFactory;
import io.jeventlet.rpc.spi.TransportUrl;

/** Opens {@link ZmqDriver}s for {@code zmq://} URLs. Thread-safe (stateless). */
public final class ZmqDriverFactory implements DriverFactory {

    @Override
    public String scheme() {
        return "zmq";
    }

    @Override
    public Driver open(TransportUrl url, DriverContext context) {
        return new ZmqDriver(url, context);
    }
}

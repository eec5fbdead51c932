package io.jeventlet.rpc.inproc;

import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.DriverFactory;
import io.jeventlet.rpc.spi.TransportUrl;

/**
 * Opens {@code inproc://NAME} drivers: one JVM, no sockets, no threads of
 * their own; transports with the same NAME reach each other. Thread-safe.
 */
public final class InprocDriverFactory implements DriverFactory {

    @Override
    public String scheme() {
        return "inproc";
    }

    /** @throws IllegalArgumentException for more than one name, a port, credentials or a path */
    @Override
    public Driver open(TransportUrl url, DriverContext context) {
        if (url.hosts().size() != 1) {
            throw new IllegalArgumentException("transport URL '" + url + "' names " + url.hosts().size()
                    + " buses; inproc://NAME names exactly one");
        }
        TransportUrl.Host host = url.hosts().get(0);
        if (host.port() >= 0 || host.username() != null || !url.virtualHost().isEmpty()) {
            throw new IllegalArgumentException("transport URL '" + url + "' is not of the form inproc://NAME"
                    + " (no port, credentials or path)");
        }
        return new InprocDriver(InprocBus.acquire(host.hostname()), context);
    }
}

package io.jeventlet.rpc;

import io.jeventlet.rpc.spi.Driver;

/** For tests of a driver's own counters: the driver under a transport made by {@code Transport.create}. */
public final class Drivers {
    private Drivers() {
    }

    public static Driver of(Transport transport) {
        return ((DriverTransport) transport).driver();
    }
}

package io.jeventlet.rpc.spi;

/**
 * The one wall-independent clock drivers and proxies measure intervals with
 * (heartbeats, registration lifetimes, liveness), in seconds. It is not a
 * hub's clock: driver threads are not green threads, so a virtual clock does
 * not govern them. Thread-safe (stateless).
 */
public final class MonotonicClock {
    private MonotonicClock() {
    }

    /** Seconds from an arbitrary origin fixed for this JVM; only differences mean anything. */
    public static double seconds() {
        return System.nanoTime() / 1e9;
    }
}

package io.jeventlet.hubs;

/** {@link HubClock#real()}: {@link System#nanoTime()} in seconds. Thread-safe. */
final class RealClock implements HubClock {
    static final RealClock INSTANCE = new RealClock();
    private static final long ORIGIN = System.nanoTime();

    private RealClock() {}

    @Override
    public double now() {
        return (System.nanoTime() - ORIGIN) * 1e-9;
    }

    @Override
    public String toString() {
        return "HubClock.real()";
    }
}

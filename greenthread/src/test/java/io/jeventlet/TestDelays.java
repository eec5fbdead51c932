package io.jeventlet;

/**
 * The one unit every real-time delay of the module's tests is scaled from
 * (STYLE.md, rule 9): change it here to slow every such test down on a
 * loaded machine. Tests on a virtual-clock hub ({@link VirtualHubs}) need
 * none: their time is exact.
 */
public final class TestDelays {
    /** The unit, in seconds. */
    public static final double DELAY = 0.05;

    private TestDelays() {}

    /** {@code seconds} in whole milliseconds, for JDK calls that take them. */
    public static long millis(double seconds) {
        return (long) (seconds * 1000);
    }
}

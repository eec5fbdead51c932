package io.jeventlet.hubs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Makes the {@code io.jeventlet.Timeout} that {@link Hub#trampoline} throws.
 * The hubs module cannot depend on the greenthread module that defines it, so
 * it looks up {@code Timeout.expired(double)} once; without that module on
 * the class path a plain {@link Error} naming the timeout is thrown instead.
 * Thread-safe.
 */
final class Timeouts {
    private static final MethodHandle EXPIRED;

    static {
        MethodHandle h = null;
        try {
            Class<?> c = Class.forName("io.jeventlet.Timeout");
            h = MethodHandles.publicLookup().findStatic(c, "expired", MethodType.methodType(c, double.class));
        } catch (ReflectiveOperationException e) {
            // greenthread module absent: fall back to a plain Error below.
        }
        EXPIRED = h;
    }

    private Timeouts() {}

    static Error timeout(double seconds) {
        if (EXPIRED != null) {
            try {
                return (Error) EXPIRED.invoke(seconds);
            } catch (Throwable e) {
                return new Error("timed out after " + seconds + " seconds", e);
            }
        }
        return new Error("timed out after " + seconds + " seconds");
    }
}

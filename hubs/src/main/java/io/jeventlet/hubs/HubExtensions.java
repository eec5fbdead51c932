package io.jeventlet.hubs;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@link HubExtension}s on the class path, loaded once on first use, and
 * what the hub asks of them. Thread-safe (immutable after class init).
 */
final class HubExtensions {
    private static final List<HubExtension> LOADED = ServiceLoader
            .load(HubExtension.class, HubExtension.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private HubExtensions() {}

    /** The error a hub wait throws when its limit of {@code seconds} passes. */
    static Error timeout(double seconds) {
        return timeout(LOADED, seconds);
    }

    static Error timeout(List<HubExtension> extensions, double seconds) {
        for (HubExtension x : extensions) {
            Error e = x.timeout(seconds);
            if (e != null) {
                return e;
            }
        }
        return new Error("timed out after " + seconds + " seconds");
    }

    /** True if frames of {@code className} are a blocking function of a layer above the hub. */
    static boolean isBlockingFunction(String className) {
        for (HubExtension x : LOADED) {
            if (x.isBlockingFunction(className)) {
                return true;
            }
        }
        return false;
    }
}

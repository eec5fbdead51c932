package io.jeventlet.rpc;

/** Rethrows a throwable as itself, checked or not, so a chain of interceptors observes an endpoint's own exception. */
final class Sneaky {
    private Sneaky() {
    }

    /** Throws {@code t}; declared to return so callers can write {@code throw Sneaky.rethrow(t)}. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }
}

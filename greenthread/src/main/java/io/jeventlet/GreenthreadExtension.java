package io.jeventlet;

import io.jeventlet.hubs.HubExtension;
import java.util.Set;

/**
 * The greenthread module's {@link HubExtension}, found by the hubs module
 * through {@code META-INF/services/io.jeventlet.hubs.HubExtension}; not for
 * application code. With it a trampoline that times out throws this module's
 * {@link Timeout}, and a {@code LoopExit} or a thread dump names the function
 * of this module a green thread waits in ({@code Event.await},
 * {@code LightQueue.get}, ...). Thread-safe (stateless).
 *
 * <pre>{@code
 * // what the hub does with it when a trampoline's limit passes:
 * Error e = new GreenthreadExtension().timeout(0.5);   // an io.jeventlet.Timeout of 0.5 seconds
 * }</pre>
 */
public final class GreenthreadExtension implements HubExtension {
    /** The classes whose methods are this module's blocking functions (frames show the declaring class). */
    private static final Set<String> BLOCKING = Set.of(
            Eventlet.class.getName(), GreenThread.class.getName(), GreenPool.class.getName(),
            GreenPile.class.getName(), Event.class.getName(), AsyncResult.class.getName(),
            LightQueue.class.getName(), Queue.class.getName(), Semaphore.class.getName(),
            CappedSemaphore.class.getName(), Tpool.class.getName(), Timeout.class.getName(),
            LoopingCallBase.class.getName());

    /** Called by {@link java.util.ServiceLoader}. */
    public GreenthreadExtension() {}

    @Override
    public Error timeout(double seconds) {
        return Timeout.expired(seconds);
    }

    @Override
    public boolean isBlockingFunction(String className) {
        int inner = className.indexOf('$');
        return BLOCKING.contains(inner < 0 ? className : className.substring(0, inner));
    }
}

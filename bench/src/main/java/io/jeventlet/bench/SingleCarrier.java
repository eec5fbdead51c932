package io.jeventlet.bench;

import java.lang.reflect.Constructor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK peer of a hub: plain virtual threads whose scheduler is one
 * single-thread executor, so they run one at a time on one carrier, as green
 * threads do on their hub, but with none of the runtime's bookkeeping
 * (no ready queue of its own, no timers, no green-thread table). It measures
 * nothing itself; the switch benchmarks use it as the floor a hub's hand-off
 * is compared with.
 *
 * <p>Thread rule: thread-safe. Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED},
 * like the runtime itself: the JDK only exposes a virtual-thread builder with
 * a custom scheduler ({@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)})
 * through reflection.
 */
public final class SingleCarrier implements AutoCloseable {
    private final ExecutorService carrier;
    private final Thread.Builder.OfVirtual builder;

    /** Starts the carrier thread. */
    public SingleCarrier() {
        carrier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "single-carrier");
            t.setDaemon(true);
            return t;
        });
        try {
            Class<?> cls = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> ctor = cls.getDeclaredConstructor(java.util.concurrent.Executor.class);
            ctor.setAccessible(true);
            builder = (Thread.Builder.OfVirtual) ctor.newInstance(carrier);
        } catch (ReflectiveOperationException | RuntimeException e) {
            carrier.shutdownNow();
            throw new IllegalStateException("the single-carrier peer needs the JVM option"
                    + " --add-opens java.base/java.lang=ALL-UNNAMED (" + e + ")", e);
        }
    }

    /** A virtual thread on this carrier, not started. */
    public Thread unstarted(Runnable body) {
        return builder.unstarted(body);
    }

    @Override
    public void close() {
        carrier.shutdownNow();
    }
}

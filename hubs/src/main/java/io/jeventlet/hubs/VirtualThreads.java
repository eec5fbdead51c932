package io.jeventlet.hubs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * The bridge to the JDK internals a hub needs: a virtual-thread builder with a
 * custom scheduler, the carrier of the calling thread, and the carrier a
 * virtual thread is mounted on. Thread-safe (stateless after class init).
 *
 * <p>Overview: all three live in {@code java.lang} and need
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Without it the first
 * hub fails with one {@link IllegalStateException} whose message names the
 * flag, instead of a reflection stack trace.
 */
final class VirtualThreads {
    static final String OPENS_FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final Constructor<?> BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final VarHandle CARRIER_OF;
    private static final String FAILURE;

    static {
        Constructor<?> builder = null;
        MethodHandle carrier = null;
        VarHandle carrierOf = null;
        String failure = null;
        try {
            Class<?> cls = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = cls.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            carrierOf = MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                    .findVarHandle(vt, "carrierThread", Thread.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = "jeventlet green threads need the JVM option " + OPENS_FLAG
                    + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
        BUILDER = builder;
        CURRENT_CARRIER = carrier;
        CARRIER_OF = carrierOf;
        FAILURE = failure;
    }

    private VirtualThreads() {}

    /** Fails with the one-line message naming the missing JVM flag, if any. */
    static void check() {
        if (FAILURE != null) {
            throw new IllegalStateException(FAILURE);
        }
    }

    /** A builder of virtual threads whose scheduler is {@code scheduler}. */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        check();
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread builder: " + e, e);
        }
    }

    /** The OS thread the caller runs on: itself, or the carrier of a virtual thread. */
    static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The carrier {@code vthread} is mounted on now, or null (a racy snapshot, for diagnostics). */
    static Thread carrierOf(Thread vthread) {
        return vthread.isVirtual() && CARRIER_OF != null ? (Thread) CARRIER_OF.getVolatile(vthread) : null;
    }

    /**
     * Starts the JDK's socket pollers from a platform thread. They are virtual
     * threads created on first use, and a virtual thread inherits the
     * scheduler of the one that creates it: started from a green thread they
     * would belong to that hub and hang every later socket wait once it stops.
     */
    static void startJdkPollers() {
        Runnable init = () -> {
            try {
                Class.forName("sun.nio.ch.Poller", true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // A JDK without that class has no such pollers to pin.
            }
        };
        if (!Thread.currentThread().isVirtual()) {
            init.run();
            return;
        }
        Thread t = Thread.ofPlatform().daemon().name("jeventlet-poller-init").start(init);
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

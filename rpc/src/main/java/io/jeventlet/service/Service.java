package io.jeventlet.service;

/**
 * oslo.service's Service: something a {@link ServiceLauncher} starts, stops,
 * waits for and resets. Subclasses start their work in {@link #start()}, as
 * green threads and timers of {@link #threadGroup()}, so that the default
 * {@link #stop(boolean)} and {@link #await()} stop and wait for all of it.
 *
 * <pre>{@code
 * final class Heartbeat extends Service {
 *     @Override public void start() {
 *         threadGroup().addTimer(10, () -> LOG.info("alive"), 0);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread rule: Hub-confined. The launcher calls every method on the hub
 * the service runs on (the awaiting thread's hub, or its worker's hub).
 *
 * <p>Lifecycle, as a launcher drives it:
 * <pre>
 * NEW -> STARTED      // start()
 * STARTED -> STARTED  // reset(), after a SIGHUP reload
 * STARTED -> STOPPED  // stop(graceful), then await() returns
 * </pre>
 */
public abstract class Service {
    private final ThreadGroup threadGroup = new ThreadGroup(getClass().getSimpleName() + " thread group");

    /** The group that owns this service's green threads and timers. */
    public ThreadGroup threadGroup() {
        return threadGroup;
    }

    /** Starts the service's work; returns once it is started. Default: nothing. */
    public void start() {
    }

    /**
     * Stops the service: its timers always; graceful, it then waits for its
     * threads, else it kills them. Overrides that stop more (a server, a
     * connection) should call {@code super.stop(graceful)}.
     */
    public void stop(boolean graceful) {
        threadGroup.stop(graceful);
    }

    /** Waits until every thread and timer of the group has ended. */
    public void await() {
        threadGroup.await();
    }

    /** Called after a SIGHUP reloaded the configuration (oslo's {@code reset}); default does nothing. */
    public void reset() {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}

package io.jeventlet.service;

import io.jeventlet.Event;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenletExit;
import io.jeventlet.hubs.Hub;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service on one hub for a {@link ServiceLauncher}: makes it,
 * starts it, waits for a stop request, stops it and waits for it, and tells
 * the launcher how that ended (oslo's {@code Services.run_service}).
 *
 * <p>Thread rule: {@link #run()} runs in a green thread of the runner's hub;
 * {@link #requestStop}, {@link #requestReset}, {@link #state()},
 * {@link #hub()} and {@link #name()} are thread-safe.
 *
 * <p>Lifecycle:
 * <pre>
 * NEW -> STARTING      // run() on its hub: the factory makes the service, start() runs
 * STARTING -> RUNNING  // start() returned
 * RUNNING -> STOPPING  // a stop request: stop(graceful), then await()
 * STOPPING -> STOPPED  // await() returned
 * NEW -> STOPPED       // a stop request came before run(): the service is never made
 * any -> FAILED        // the factory, start(), stop() or await() threw
 * </pre>
 *
 * <p>Implementation notes: a stop request that arrives before the runner
 * has a hub is kept in {@code pendingStop} (under the monitor) and delivered
 * by {@code run()} itself, so none is lost. A second, non-graceful request
 * while a graceful stop waits spawns {@code stop(false)} beside it: that
 * kills the service's threads, which ends the graceful wait too.
 */
final class ServiceRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    /** Where the runner is; see the transition table above. */
    enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED }

    private final String name;
    private final Supplier<? extends Service> factory;
    private final ServiceLauncher launcher;
    private volatile State state = State.NEW;
    private volatile Hub hub;
    private volatile Service service;
    /** Stop requested before run() had a hub: its gracefulness; null if none. Guarded by this. */
    private Boolean pendingStop;
    /** Hub-confined: the stop request's gracefulness. */
    private Event<Boolean> stopRequest;
    /** Hub-confined: a non-graceful stop was already issued. */
    private boolean forced;

    ServiceRunner(String name, Supplier<? extends Service> factory, ServiceLauncher launcher) {
        this.name = name;
        this.factory = factory;
        this.launcher = launcher;
    }

    String name() {
        return name;
    }

    State state() {
        return state;
    }

    /** The hub it runs on, or null before it runs. */
    Hub hub() {
        return hub;
    }

    /** The service, or null before the factory made it. */
    Service service() {
        return service;
    }

    /** Runs the whole lifecycle in the calling green thread; never throws. */
    void run() {
        Boolean early;
        synchronized (this) {
            hub = Hub.get();
            stopRequest = new Event<>();
            early = pendingStop;
        }
        if (early != null) {
            deliverStop(early);
        }
        Throwable failure = null;
        Service s = null;
        double began = hub.clock();
        try {
            if (stopRequest.ready()) {
                state = State.STOPPED;
                return;
            }
            state = State.STARTING;
            s = factory.get();
            if (s == null) {
                throw new IllegalStateException("the service factory of " + name + " returned null");
            }
            service = s;
            s.start();
            state = State.RUNNING;
            LOG.info("{} ({}) started in {} s", name, s, seconds(hub.clock() - began));
            launcher.started(this);
            // A forced request may have come after the graceful one but before this wake-up.
            boolean graceful = stopRequest.await() && !forced;
            state = State.STOPPING;
            double stopping = hub.clock();
            s.stop(graceful);
            s.await();
            state = State.STOPPED;
            LOG.info("{} ({}) stopped {}in {} s", name, s, graceful && !forced ? "gracefully " : "",
                    seconds(hub.clock() - stopping));
        } catch (GreenletExit e) {
            failure = e;
            state = State.FAILED;
            LOG.error("{} was killed", name);
        } catch (Throwable t) {
            failure = t;
            state = State.FAILED;
            LOG.error("{} failed", name, t);
            if (s != null) {
                killQuietly(s);
            }
        } finally {
            launcher.done(this, failure);
        }
    }

    /** Asks the service to stop; a second, non-graceful request kills its threads. Thread-safe. */
    void requestStop(boolean graceful) {
        Hub h;
        synchronized (this) {
            h = hub;
            if (h == null) {
                pendingStop = pendingStop == null ? graceful : pendingStop && graceful;
                return;
            }
        }
        h.callThreadsafe(() -> deliverStop(graceful));
    }

    /** Calls the service's reset() in a green thread of its hub, if it is running. Thread-safe. */
    void requestReset() {
        Hub h = hub;
        if (h == null) {
            return;
        }
        h.callThreadsafe(() -> Eventlet.spawnN(() -> {
            Service s = service;
            if (state != State.RUNNING || s == null) {
                return;
            }
            try {
                s.reset();
                LOG.info("{} ({}) reset", name, s);
            } catch (RuntimeException e) {
                LOG.error("{} ({}) failed to reset", name, s, e);
            }
        }));
    }

    /** On the hub: the first request sets the event; a later non-graceful one kills the threads. */
    private void deliverStop(boolean graceful) {
        if (!stopRequest.ready()) {
            forced = !graceful;
            stopRequest.send(graceful);
        } else if (!graceful && !forced) {
            forced = true;
            Service s = service;
            if (state == State.STOPPING && s != null) {
                Eventlet.spawnN(() -> s.stop(false));
            }
        }
    }

    private void killQuietly(Service s) {
        try {
            s.stop(false);
        } catch (RuntimeException | Error e) {
            LOG.debug("{}: stopping after the failure also failed: {}", name, e.toString());
        }
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    @Override
    public String toString() {
        return name + " [" + state + "]";
    }
}

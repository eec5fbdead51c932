package io.jeventlet.service;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenletExit;
import io.jeventlet.hubs.Greenlet;
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
 * STARTING -> STOPPING // a stop request cancels the start (a kill of the start's green thread)
 * any -> FAILED        // the factory, start(), stop() or await() threw
 * </pre>
 *
 * <p>Implementation notes: a stop request is a field under the monitor,
 * so one that arrives before the runner has a hub is simply seen when it
 * runs; the runner's green thread waits for it in a foreign park and every
 * request wakes it. A second, non-graceful request while a graceful stop
 * waits spawns {@code stop(false)} beside it on the runner's hub: that
 * kills the service's threads, which ends the graceful wait too.
 *
 * <p>A stop request during STARTING cancels the start: a {@link GreenletExit}
 * thrown into the runner's green thread, delivered at its current park
 * (a start waiting for a broker or a proxy parks in this runtime's waits,
 * never in a socket call of its own, so no channel is interrupted). It is
 * thrown from a hub callback that sees STARTING; a start that returned
 * before it landed (it was queued to run) takes it back, and the stop
 * request then stops the service the usual way. The service is then stopped and awaited like a started one, so
 * whatever the start had already begun (threads, servers) ends too, and the
 * runner ends STOPPED, not FAILED: being stopped while starting is a clean
 * stop.
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
    /** The first stop request's gracefulness; null while none came. Guarded by this. */
    private Boolean stopRequest;
    /** A non-graceful stop was requested (first or later). Guarded by this. */
    private boolean forced;
    /** The green thread running {@link #run()}, woken by a stop request; null before. */
    private volatile Greenlet runner;
    /** The kill that cancels a start in progress; set on the runner's hub, null while none was thrown. */
    private volatile GreenletExit startCancel;

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
        synchronized (this) {
            hub = Hub.get();
            runner = Greenlet.current();
        }
        Throwable failure = null;
        Service s = null;
        double began = hub.clock();
        boolean ownHub = launcher.controlHub() != hub;
        if (ownHub) {
            HubMonitor.global().attach(hub, name.replace(' ', '-'));
        }
        try {
            if (stopRequested() != null) {
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
            takeBackStartCancel();
            LOG.info("{} ({}) started in {} s", name, s, seconds(hub.clock() - began));
            launcher.started(this);
            boolean graceful = awaitStopRequest();
            stopService(s, graceful);
        } catch (GreenletExit e) {
            if (e == startCancel) {
                // A stop came while the service was starting: stop what the start had begun.
                LOG.info("{} stopped while starting", name);
                failure = stopCancelled(s);
            } else {
                failure = e;
                state = State.FAILED;
                LOG.error("{} was killed", name);
            }
        } catch (Throwable t) {
            failure = t;
            state = State.FAILED;
            LOG.error("{} failed", name, t);
            if (s != null) {
                killQuietly(s);
            }
        } finally {
            if (ownHub) {
                HubMonitor.global().detach(hub);
            }
            launcher.done(this, failure);
        }
    }

    /** STOPPING -> STOPPED: stops {@code s} and waits for it. */
    private void stopService(Service s, boolean graceful) {
        state = State.STOPPING;
        double stopping = hub.clock();
        s.stop(graceful);
        s.await();
        state = State.STOPPED;
        LOG.info("{} ({}) stopped {}in {} s", name, s, graceful && !forced() ? "gracefully " : "",
                seconds(hub.clock() - stopping));
    }

    /** After a cancelled start: stops what the start began; returns the failure of that stop, or null. */
    private Throwable stopCancelled(Service s) {
        if (s == null) {
            state = State.STOPPED;
            return null;
        }
        try {
            Boolean graceful = stopRequested();
            stopService(s, graceful == null || graceful && !forced());
            return null;
        } catch (Throwable t) {
            state = State.FAILED;
            LOG.error("{} failed to stop after its start was cancelled", name, t);
            return t;
        }
    }

    /**
     * Asks the service to stop; a non-graceful request after a graceful one
     * kills the service's threads, which ends the graceful wait too.
     * Thread-safe.
     */
    void requestStop(boolean graceful) {
        boolean kill;
        synchronized (this) {
            kill = stopRequest != null && !graceful && !forced;
            if (stopRequest == null) {
                stopRequest = graceful;
            }
            forced |= !graceful;
        }
        Greenlet g = runner;
        if (g != null) {
            g.wake();
        }
        Hub h = hub;
        if (h != null) {
            // A start in progress is cancelled (see the class comment); on the hub, so that
            // STARTING, seen there, still holds when the kill lands.
            h.callThreadsafe(this::cancelStart);
        }
        if (kill && h != null) {
            h.callThreadsafe(() -> {
                Service s = service;
                if (state == State.STOPPING && s != null) {
                    Eventlet.spawnN(() -> s.stop(false));
                }
            });
        }
    }

    /** In the runner's green thread, right after the start returned: a cancel that did not land is void. */
    private void takeBackStartCancel() {
        GreenletExit cancel = startCancel;
        if (cancel != null && runner.pending() == cancel) {
            runner.takePending();
        }
    }

    /** Hub-confined: kills the start's green thread if the service is still starting. */
    private void cancelStart() {
        Greenlet g = runner;
        if (state == State.STARTING && startCancel == null && g != null) {
            GreenletExit cancel = new GreenletExit();
            startCancel = cancel;
            g.throwIn(cancel);
        }
    }

    private synchronized Boolean stopRequested() {
        return stopRequest;
    }

    private synchronized boolean forced() {
        return forced;
    }

    /**
     * Parks until a stop request and returns whether the stop is graceful (a
     * forced request that came before this wake-up counts). The park is a
     * foreign one: the request comes from another OS thread, so the hub must
     * not take the wait for a deadlock; a wake before the park makes the
     * park return, so none is lost.
     */
    private boolean awaitStopRequest() {
        Greenlet me = Greenlet.current();
        Boolean graceful;
        while ((graceful = stopRequested()) == null) {
            me.parkForeign();
        }
        return graceful && !forced();
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

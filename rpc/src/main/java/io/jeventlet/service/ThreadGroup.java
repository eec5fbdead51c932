package io.jeventlet.service;

import io.jeventlet.DynamicLoopingCall;
import io.jeventlet.Eventlet;
import io.jeventlet.FixedIntervalLoopingCall;
import io.jeventlet.GreenThread;
import io.jeventlet.GreenletExit;
import io.jeventlet.hubs.Hub;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo.service's ThreadGroup: the green threads and looping calls ("timers")
 * that one service starts, so the service can stop and wait for them as a
 * whole.
 *
 * <p>Thread rule: Hub-confined. The group binds to the hub of its first
 * {@code add*} call; every later call must come from a green thread (or the
 * OS thread) of that hub (checked).
 *
 * <p>Guarantees: a thread that fails is logged once, with its stack, by the
 * hub's failure report, and never takes the group down: the other threads
 * and timers go on, and {@link #await()} and {@link #stop(boolean)} return
 * normally. {@link #stop(boolean)} always stops the timers; graceful, it
 * then waits for the threads, else it kills them. Neither waits for nor kills
 * the green thread that calls it (a thread of the group may stop its own
 * group, as in oslo).
 *
 * <p>Implementation notes: a thread removes itself from the group through a
 * link when it finishes, so {@link #threadCount()} counts live threads only
 * and a long-running service that spawns many short threads does not grow
 * the group. Timers stay until {@link #stopTimers()}, as in oslo.
 */
public final class ThreadGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadGroup.class);

    private final String name;
    private final Set<GreenThread<?>> threads = new LinkedHashSet<>();
    private final List<TimerEntry> timers = new ArrayList<>();
    private Hub hub;

    /** A looping call of this group and the done event its start returned. */
    private record TimerEntry(Object call, io.jeventlet.Event<Object> done) {
        void stop() {
            if (call instanceof FixedIntervalLoopingCall f) {
                f.stop();
            } else {
                ((DynamicLoopingCall) call).stop();
            }
        }
    }

    /** An empty group named {@code name} (log lines and reports show it). */
    public ThreadGroup(String name) {
        this.name = name;
    }

    /** An empty group. */
    public ThreadGroup() {
        this("thread group");
    }

    /** Starts {@code fn} in a new green thread of this group and returns it. */
    public <T> GreenThread<T> addThread(Callable<T> fn) {
        confine();
        GreenThread<T> gt = Eventlet.spawn(fn);
        threads.add(gt);
        gt.link(threads::remove);
        return gt;
    }

    /**
     * Starts a {@link FixedIntervalLoopingCall} of {@code task} every
     * {@code interval} seconds, first after {@code initialDelay}; a failing
     * run is logged and the timer goes on, as with oslo's
     * {@code stop_on_exception=False}. (oslo's {@code add_timer} defaults to
     * stopping the timer instead; a daemon's state report or resync should
     * outlive one transient failure, so here it goes on.)
     */
    public FixedIntervalLoopingCall addTimer(double interval, Runnable task, double initialDelay) {
        confine();
        FixedIntervalLoopingCall call = new FixedIntervalLoopingCall(task);
        timers.add(new TimerEntry(call, call.start(interval, initialDelay, false)));
        return call;
    }

    /**
     * Starts a {@link DynamicLoopingCall} of {@code task}, first after
     * {@code initialDelay}; it idles for what the task returns, at most
     * {@code periodicIntervalMax}; a failing run is logged and the timer goes on.
     */
    public DynamicLoopingCall addDynamicTimer(Callable<Double> task, double initialDelay, double periodicIntervalMax) {
        confine();
        DynamicLoopingCall call = new DynamicLoopingCall(task);
        timers.add(new TimerEntry(call, call.start(initialDelay, periodicIntervalMax, false)));
        return call;
    }

    /** Stops every timer (a run in progress finishes) and forgets them. */
    public void stopTimers() {
        confine();
        for (TimerEntry t : timers) {
            t.stop();
        }
        timers.clear();
    }

    /**
     * Stops the timers; then, graceful, waits for every thread to end, else
     * kills them (their {@code finally} blocks run).
     */
    public void stop(boolean graceful) {
        confine();
        stopTimers();
        if (graceful) {
            awaitThreads();
        } else {
            killThreads();
        }
    }

    /** Waits for every timer and every thread to end; a failure was logged already and is not rethrown. */
    public void await() {
        confine();
        for (TimerEntry t : List.copyOf(timers)) {
            try {
                t.done().await();
            } catch (GreenletExit | RuntimeException e) {
                LOG.debug("{}: timer {} ended with {}", name, t.call(), e.toString());
            }
        }
        awaitThreads();
    }

    /** The threads started by {@link #addThread} that have not finished (timers are not counted). */
    public int threadCount() {
        confine();
        return threads.size();
    }

    /** The live threads, for reports. */
    List<GreenThread<?>> threads() {
        return List.copyOf(threads);
    }

    private void awaitThreads() {
        GreenThread<?> current = Eventlet.getCurrent();
        // A thread finishing removes itself, so loop until only the caller is left.
        while (true) {
            GreenThread<?> next = threads.stream().filter(t -> t != current).findFirst().orElse(null);
            if (next == null) {
                return;
            }
            try {
                next.await();
            } catch (GreenletExit e) {
                // killed: that is how a non-graceful stop ends a thread
            } catch (RuntimeException | Error e) {
                LOG.debug("{}: thread {} ended with {}", name, next, e.toString());
            }
            threads.remove(next);
        }
    }

    private void killThreads() {
        GreenThread<?> current = Eventlet.getCurrent();
        for (GreenThread<?> t : List.copyOf(threads)) {
            if (t != current) {
                t.kill();
            }
        }
    }

    private void confine() {
        Hub h = Hub.get();
        if (hub == null) {
            hub = h;
        } else if (hub != h) {
            throw new IllegalStateException(name + " belongs to hub " + hub + " but was used from " + h
                    + "; hand the call to its hub with Hub.callThreadsafe");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

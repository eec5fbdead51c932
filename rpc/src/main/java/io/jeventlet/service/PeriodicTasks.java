package io.jeventlet.service;

import io.jeventlet.DynamicLoopingCall;
import io.jeventlet.Eventlet;
import io.jeventlet.GreenThreadException;
import io.jeventlet.GreenletExit;
import io.jeventlet.Timeout;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Seconds;
import io.jeventlet.rpc.Context;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo.service's PeriodicTasks: a base class whose {@link PeriodicTask}
 * methods {@link #runPeriodicTasks} runs when they are due, returning how
 * long the caller may idle until the next one is due. A service drives it
 * with a {@link DynamicLoopingCall} in its thread group:
 *
 * <pre>{@code
 * final class Agent extends PeriodicTasks {
 *     @PeriodicTask(spacing = 40, runImmediately = true)
 *     void resync(Context ctx) { ... }
 * }
 * // in the service's start():
 * agent.startPeriodicTasks(threadGroup(), Context.empty(), 40, 5);
 * }</pre>
 *
 * <p>Thread rule: Hub-confined. Times are read from the calling green
 * thread's hub clock, so a virtual clock drives the schedule.
 *
 * <p>Scheduling (oslo's): a task is due when {@code spacing} has passed since
 * its last run; its next "last run" is the latest multiple of
 * {@code spacing} past the previous one that is not in the future (missed
 * runs are skipped, never made up), plus a jitter of 0-5 % of the spacing
 * rounded down to whole seconds (none below 20 s), so tasks of many
 * processes drift apart. The returned idle time is exact: the least time
 * until a task's next boundary (oslo returns the spacing of a task that
 * just ran, which waits past a boundary that a stall moved closer). A task without {@code runImmediately} first runs
 * one spacing after the first {@code runPeriodicTasks} call. A failing task
 * is logged with its stack and the others run (unless
 * {@code raiseOnError}); a yield follows each task, so one long list of
 * tasks does not hold the hub.
 *
 * <p>Implementation notes: the tasks are found once per instance by
 * reflection over the class and its superclasses (not {@code PeriodicTasks}
 * itself), ordered by name, because Java does not keep declaration order.
 */
public abstract class PeriodicTasks {
    /** Seconds a task with spacing 0 waits, and the most {@link #runPeriodicTasks} ever returns (oslo's 60). */
    public static final double DEFAULT_INTERVAL = 60.0;

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTasks.class);

    private final List<Task> tasks;
    private RandomGenerator jitter = new java.util.Random();
    private boolean begun;

    /** One discovered task and its schedule. */
    private static final class Task {
        final String name;
        final Method method;
        final double spacing;
        final boolean immediate;
        /** Hub-clock time of the last run's boundary; NaN before the first run. */
        double lastRun = Double.NaN;

        Task(String name, Method method, double spacing, boolean immediate) {
            this.name = name;
            this.method = method;
            this.spacing = spacing;
            this.immediate = immediate;
        }
    }

    /** Collects the {@link PeriodicTask} methods of this instance's class. */
    protected PeriodicTasks() {
        List<Task> found = new ArrayList<>();
        String owner = getClass().getSimpleName();
        for (Class<?> c = getClass(); c != PeriodicTasks.class && c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                PeriodicTask pt = m.getAnnotation(PeriodicTask.class);
                if (pt == null) {
                    continue;
                }
                if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 1
                        || m.getParameterTypes()[0] != Context.class) {
                    throw new IllegalArgumentException("@PeriodicTask method " + c.getName() + "." + m.getName()
                            + " must be an instance method taking one io.jeventlet.rpc.Context");
                }
                String name = owner + "." + (pt.name().isEmpty() ? m.getName() : pt.name());
                if (Double.isNaN(pt.spacing()) || pt.spacing() < 0) {
                    LOG.info("Skipping periodic task {} because its interval is negative", name);
                    continue;
                }
                if (!pt.enabled()) {
                    LOG.info("Skipping periodic task {} because it is disabled", name);
                    continue;
                }
                m.setAccessible(true);
                double spacing = pt.spacing() == 0 ? DEFAULT_INTERVAL : pt.spacing();
                found.add(new Task(name, m, spacing, pt.runImmediately()));
            }
        }
        found.sort(Comparator.comparing(t -> t.name));
        this.tasks = List.copyOf(found);
    }

    /** The jitter's source of randomness (tests pass a seeded one). */
    protected final void setRandom(RandomGenerator random) {
        this.jitter = random;
    }

    /** The names of the enabled tasks ({@code Class.method}), in the order they run. */
    public final List<String> taskNames() {
        return tasks.stream().map(t -> t.name).toList();
    }

    /**
     * Runs every task that is due and returns the seconds until the next is
     * due (at most {@link #DEFAULT_INTERVAL}).
     *
     * @param raiseOnError true: a task's exception ends this call and is
     *     rethrown (checked ones wrapped in {@link GreenThreadException});
     *     false: it is logged and the other tasks run
     */
    public double runPeriodicTasks(Context ctx, boolean raiseOnError) {
        Hub hub = Hub.get();
        if (!begun) {
            begun = true;
            double now = hub.clock();
            for (Task t : tasks) {
                if (!t.immediate) {
                    t.lastRun = now;
                }
            }
        }
        double idleFor = DEFAULT_INTERVAL;
        for (Task t : tasks) {
            idleFor = Math.min(idleFor, t.spacing);
            if (!Double.isNaN(t.lastRun)) {
                double delta = t.lastRun + t.spacing - hub.clock();
                if (delta > 0) {
                    idleFor = Math.min(idleFor, delta);
                    continue;
                }
            }
            LOG.debug("Running periodic task {}", t.name);
            t.lastRun = nearestBoundary(t.lastRun, t.spacing, hub.clock());
            try {
                t.method.invoke(this, ctx);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (raiseOnError) {
                    throw rethrow(cause);
                }
                if (cause instanceof GreenletExit || cause instanceof Timeout) {
                    throw (Error) cause; // a kill or a timeout of the loop is not a task failure
                }
                LOG.error("Error during {}", t.name, cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("periodic task " + t.name + " is not accessible", e);
            }
            // Unlike oslo (which returns the spacing here), the time to this task's next boundary:
            // after a stall the next run is due before a whole spacing has passed.
            idleFor = Math.min(idleFor, Math.max(0, t.lastRun + t.spacing - hub.clock()));
            Eventlet.sleep();
        }
        return idleFor;
    }

    /** {@code await()}'s rule: unchecked as the same instance, checked wrapped. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new GreenThreadException(t);
    }

    private double nearestBoundary(double lastRun, double spacing, double now) {
        if (Double.isNaN(lastRun)) {
            return now;
        }
        double offset = (now - lastRun) % spacing;
        if (spacing - offset < 1e-9) {
            offset = 0; // (now - lastRun) was a whole number of spacings, less rounding noise
        }
        // Up to 5 % jitter in whole seconds, as oslo does: none below 20 s.
        double jitterSeconds = Math.floor(spacing * (jitter.nextDouble() / 20));
        return now - offset + jitterSeconds;
    }

    /**
     * Runs the tasks from now on in a {@link DynamicLoopingCall} of
     * {@code group}: first after a random delay in {@code [0, fuzzyDelay]}
     * seconds (Neutron's {@code periodic_fuzzy_delay}, so many agents started
     * together do not run their tasks in step), then again whenever the next
     * task is due, idling at most {@code periodicIntervalMax} seconds
     * ({@code service.periodic_interval}). A failing task is logged; the loop
     * goes on.
     */
    public final DynamicLoopingCall startPeriodicTasks(ThreadGroup group, Context ctx, double periodicIntervalMax,
            double fuzzyDelay) {
        Seconds.check("periodicIntervalMax", periodicIntervalMax);
        Seconds.check("fuzzyDelay", fuzzyDelay);
        double initialDelay = fuzzyDelay > 0 && fuzzyDelay != Double.POSITIVE_INFINITY
                ? jitter.nextDouble() * fuzzyDelay : 0;
        LOG.debug("{} periodic tasks start in {} s", getClass().getSimpleName(), initialDelay);
        return group.addDynamicTimer(new java.util.concurrent.Callable<Double>() {
            @Override
            public Double call() {
                return runPeriodicTasks(ctx, false);
            }

            @Override
            public String toString() {
                return PeriodicTasks.this.getClass().getSimpleName() + " periodic tasks";
            }
        }, initialDelay, periodicIntervalMax);
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Seconds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The functions of eventlet and eventlet.greenthread: spawn, sleep, kill,
 * getCurrent, joinAll. Each acts on the hub of the caller ({@link Hub#get()}).
 *
 * <pre>{@code
 * GreenThread<Integer> gt = Eventlet.spawn(() -> 6 * 7);
 * Eventlet.spawnN(() -> LOG.info("fire and forget"));
 * Eventlet.sleep(0.5);                                // other green threads run meanwhile
 * int answer = gt.await();
 * }</pre>
 *
 * <p>Scheduling rules: {@code spawn} returns at once and the new green thread
 * first runs when the spawner blocks or yields, in spawn order; a blocking
 * function called from a plain OS thread runs that thread's hub until the
 * wait is over; JDK blocking calls inside a green thread park only it.
 */
public final class Eventlet {
    private Eventlet() {}

    /** Starts {@code fn} in a new green thread; its result comes from {@link GreenThread#await()}. */
    public static <T> GreenThread<T> spawn(Callable<T> fn) {
        GreenThread<T> gt = new GreenThread<>(Hub.get(), nonNull(fn));
        gt.start();
        return gt;
    }

    /** Starts {@code fn} in a new green thread; {@link GreenThread#await()} returns null. */
    public static GreenThread<Void> spawn(Runnable fn) {
        return spawn(callable(nonNull(fn)));
    }

    /**
     * Fire and forget: starts {@code fn} in a new green thread with no result
     * object, the cheapest way to start one. An exception is logged.
     */
    public static void spawnN(Runnable fn) {
        nonNull(fn);
        Hub hub = Hub.get();
        Greenlet[] self = new Greenlet[1];
        self[0] = hub.newGreenlet(() -> runN(hub, self[0], fn));
        self[0].start();
    }

    private static void runN(Hub hub, Greenlet g, Runnable fn) {
        Throwable failure = null;
        try {
            fn.run();
        } catch (Throwable t) {
            failure = g.translate(t);
            if (!(failure instanceof GreenletExit)) {
                hub.reportFailure(fn, failure);
            }
        } finally {
            if (g.attachment() instanceof GreenThread<?> view) {
                view.finish(null, failure);
            }
        }
    }

    /** Starts {@code fn} in a new green thread after {@code seconds}. */
    public static <T> GreenThread<T> spawnAfter(double seconds, Callable<T> fn) {
        Seconds.check("seconds", seconds);
        Hub hub = Hub.get();
        GreenThread<T> gt = new GreenThread<>(hub, nonNull(fn));
        gt.startTimer = hub.scheduleCallGlobal(seconds, gt::start);
        return gt;
    }

    /** As {@link #spawnAfter}, but not started if the spawning green thread has exited by then. */
    public static <T> GreenThread<T> spawnAfterLocal(double seconds, Callable<T> fn) {
        Seconds.check("seconds", seconds);
        Hub hub = Hub.get();
        GreenThread<T> gt = new GreenThread<>(hub, nonNull(fn));
        gt.startTimer = hub.scheduleCallLocal(seconds, gt::start);
        return gt;
    }

    /**
     * Pauses the caller for {@code seconds} of hub time while other green
     * threads run. {@code sleep(0)} yields: everything already runnable runs
     * before the caller resumes.
     */
    public static void sleep(double seconds) {
        Seconds.check("seconds", seconds);
        Greenlet me = Greenlet.current();
        if (seconds == 0) {
            me.yieldNow();
            return;
        }
        // Nothing but the deadline ends a sleep: a wake-up before it is spurious.
        me.waitFor(() -> false, Seconds.deadline(me.hub(), seconds));
    }

    /** {@code sleep(0)}: yield to every green thread that is already runnable. */
    public static void sleep() {
        sleep(0);
    }

    /** Kills {@code gt} with {@link GreenletExit}. */
    public static void kill(GreenThread<?> gt) {
        gt.kill();
    }

    /** Kills {@code gt} with {@code t}. */
    public static void kill(GreenThread<?> gt, Throwable t) {
        gt.kill(t);
    }

    /** The running green thread, or null outside one (a plain OS thread or a hub callback). */
    public static GreenThread<?> getCurrent() {
        Greenlet g = Greenlet.currentGreen();
        if (g == null) {
            return null;
        }
        Object a = g.attachment();
        return a instanceof GreenThread<?> gt ? gt : new GreenThread<>(g);
    }

    /** Waits until every one of {@code gts} finished; returns them in finishing order. */
    public static List<GreenThread<?>> joinAll(Collection<? extends GreenThread<?>> gts) {
        return joinAll(gts, Double.POSITIVE_INFINITY);
    }

    /**
     * gevent's {@code joinall}: waits until all finished or {@code timeoutSeconds}
     * passed; returns those that finished, in finishing order (those finished
     * before the call first, in the order given).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static List<GreenThread<?>> joinAll(Collection<? extends GreenThread<?>> gts, double timeoutSeconds) {
        Greenlet me = Greenlet.current();
        double deadline = Seconds.deadline(me.hub(), timeoutSeconds);
        List<GreenThread<?>> finished = new ArrayList<>(gts.size());
        Consumer link = gt -> {
            finished.add((GreenThread<?>) gt);
            me.wake();
        };
        for (GreenThread<?> gt : gts) {
            ((GreenThread) gt).link(link);
        }
        try {
            me.waitFor(() -> finished.size() == gts.size(), deadline);
        } finally {
            for (GreenThread<?> gt : gts) {
                ((GreenThread) gt).unlink(link);
            }
        }
        return finished;
    }

    private static <T> T nonNull(T fn) {
        if (fn == null) {
            throw new NullPointerException("fn");
        }
        return fn;
    }

    private static Callable<Void> callable(Runnable fn) {
        return new Callable<>() {
            @Override
            public Void call() {
                fn.run();
                return null;
            }

            @Override
            public String toString() {
                return fn.toString();
            }
        };
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Seconds;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop shared by oslo.service's looping calls: run the task, ask the
 * subclass how long to idle given the task's result and run time, idle, and
 * again, until {@link #stop()}, a {@link LoopingCallDone}, or a failure.
 *
 * <p>Thread rule: Hub-confined — {@code start} spawns the loop on the
 * caller's hub, and {@code await} is for green threads of that hub — except
 * {@link #stop()}, which any thread may call.
 *
 * <p>Lifecycle ({@link State}; one loop per start, and a finished call may be
 * started again):
 * <pre>
 * IDLE -> RUNNING       // start(): a new done event, the loop's green thread spawned
 * RUNNING -> STOPPING   // stop(), from any thread: the loop ends at its next check
 * RUNNING -> IDLE       // the loop ended by itself: LoopingCallDone (its value) or a failure
 * STOPPING -> IDLE      // the loop saw the stop and ended (result TRUE)
 * </pre>
 * The state is IDLE again before the done event is sent, so a woken waiter
 * may start the call again; {@code start} in RUNNING or STOPPING is an
 * {@link IllegalStateException}.
 *
 * <p>Overview: the loop idles by parking its own greenlet until a deadline
 * on the hub's clock, so a virtual clock drives every interval, and
 * {@code stop()} ends the idle at once by waking it (oslo waits on an abort
 * event for the same reason). No stop is lost: stop writes {@code state}
 * before reading {@code loopGreenlet}, and the loop publishes
 * {@code loopGreenlet} before reading {@code state} (both volatile), so at
 * least one side sees the other. A zero idle is a yield, never a busy loop.
 * Errors (a kill, a {@link Timeout}) are never swallowed by
 * {@code stopOnException = false}, as Python's {@code except Exception}
 * lets {@code BaseException} through; whatever ends the loop reaches the
 * done event, so nobody waits forever.
 */
abstract class LoopingCallBase {
    /** Where the call is in its life; see the table above. */
    private enum State { IDLE, RUNNING, STOPPING }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LoopingCallBase.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What a failed run counts as when {@code stopOnException} is false:
     * oslo's safe wrapper returns 0 (a dynamic call runs again at once, a
     * back-off call backs off).
     */
    private static final Double FAILED_RUN_RESULT = 0.0;

    /** The concrete class's logger, so its records can be told apart (and captured) by class. */
    final Logger log = LoggerFactory.getLogger(getClass());
    private final Callable<?> task;
    private final String kind;
    /** For log lines and errors: the user's task as the user wrote it. */
    final String name;
    /** Written by the loop's hub; stop() moves RUNNING to STOPPING from any thread (a compare-and-set). */
    private volatile State state = State.IDLE;
    /** The greenlet to wake on stop(), or null when no loop runs. */
    private volatile Greenlet loopGreenlet;
    private Event<Object> done;

    /** How long to idle after a run, given its result (or failure stand-in) and duration. */
    interface IdleFor {
        double idleFor(Object result, double elapsedSeconds);
    }

    LoopingCallBase(String kind, Object userTask, Callable<?> task) {
        if (userTask == null) {
            throw new NullPointerException("task");
        }
        this.kind = kind;
        this.name = String.valueOf(userTask);
        this.task = task;
    }

    /** Starts the loop on the caller's hub and returns its done event at once. */
    final Event<Object> start(double initialDelaySeconds, boolean stopOnException, IdleFor idleFor) {
        Seconds.check("initialDelaySeconds", initialDelaySeconds);
        if (state != State.IDLE) {
            throw new IllegalStateException("A " + kind.toLowerCase(Locale.ROOT)
                    + " can only run one function at a time: " + name + " is already running");
        }
        Event<Object> ev = new Event<>();
        done = ev;
        Runnable loop = new Runnable() {
            @Override
            public void run() {
                runLoop(ev, initialDelaySeconds, stopOnException, idleFor);
            }

            @Override
            public String toString() {
                return kind + " " + name;
            }
        };
        state = State.RUNNING;
        try {
            Eventlet.spawn(loop);
        } catch (RuntimeException | Error e) {
            state = State.IDLE;
            throw e;
        }
        return ev;
    }

    /**
     * Ends the loop: an idle (or the initial delay) ends at once, a run in
     * progress is let finish; the result is then {@code Boolean.TRUE}.
     * Thread-safe. Before start, or after the loop ended, it does nothing.
     */
    public void stop() {
        if (STATE.compareAndSet(this, State.RUNNING, State.STOPPING)) {
            Greenlet g = loopGreenlet;
            if (g != null) {
                g.wake();
            }
        }
    }

    /**
     * Waits for the loop to end and returns its result: {@code Boolean.TRUE}
     * after {@link #stop()}, the value of a {@link LoopingCallDone}; or throws
     * the failure that ended it (unchecked as the same instance, checked
     * wrapped in {@link GreenThreadException}).
     */
    public Object await() {
        Event<Object> ev = done;
        if (ev == null) {
            throw new IllegalStateException(kind + " " + name + " was never started");
        }
        return ev.await();
    }

    private void runLoop(Event<Object> ev, double initialDelay, boolean stopOnException, IdleFor idleFor) {
        Greenlet me = Greenlet.current();
        loopGreenlet = me;
        Object result = Boolean.TRUE;
        Throwable failure = null;
        try {
            if (initialDelay > 0) {
                idle(me, initialDelay);
            }
            Hub hub = me.hub();
            while (state == State.RUNNING) {
                double began = hub.clock();
                Object out = stopOnException ? call(me) : callSafely(me);
                double elapsed = hub.clock() - began;
                if (state != State.RUNNING) {
                    break;
                }
                double idle = idleFor.idleFor(out, elapsed);
                if (log.isTraceEnabled()) {
                    log.trace("{} {} sleeping for {} seconds", kind, name, seconds(idle));
                }
                idle(me, idle);
            }
        } catch (LoopingCallDone d) {
            result = d.value();
        } catch (Throwable t) {
            failure = t;
        } finally {
            loopGreenlet = null;
            state = State.IDLE;
        }
        if (failure == null) {
            ev.send(result);
            return;
        }
        if (!(failure instanceof GreenletExit)) {
            log.error("{} {} failed", kind, name, failure);
        }
        ev.sendException(failure);
    }

    private Object call(Greenlet me) throws Exception {
        try {
            return task.call();
        } catch (LoopingCallDone d) {
            throw d;
        } catch (Exception e) {
            Throwable t = me.translate(e);
            if (t != e) {
                throw GreenThreadException.rethrow(t);
            }
            throw e;
        }
    }

    private Object callSafely(Greenlet me) {
        try {
            return call(me);
        } catch (LoopingCallDone d) {
            throw d;
        } catch (Exception e) {
            log.error("{} {} failed", kind, name, e);
            return FAILED_RUN_RESULT;
        }
    }

    /** Idles until the hub-clock deadline or stop(); zero is a yield. */
    private void idle(Greenlet me, double seconds) {
        if (seconds == 0) {
            me.yieldNow();
            return;
        }
        me.waitFor(() -> state != State.RUNNING, Seconds.deadline(me.hub(), seconds));
    }

    /** Seconds as oslo prints them: two decimals, a dot whatever the locale. */
    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f", s);
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.Timer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A green thread: a function running cooperatively on a hub, with a result
 * that {@link #await()} returns (eventlet's {@code GreenThread}). Hub-confined:
 * use it from green threads of its own hub (or that hub's OS thread);
 * {@code await}, {@code kill}, {@code cancel}, {@code link} and {@code unlink}
 * from another hub are an {@link IllegalStateException}.
 *
 * <pre>{@code
 * GreenThread<String> gt = Eventlet.spawn(() -> fetch(url));
 * gt.link(done -> LOG.info("finished, successful: {}", done.successful()));
 * String body = gt.await();                           // its result, or its exception rethrown
 * other.kill();                                       // GreenletExit at other's next blocking point
 * }</pre>
 *
 * <p>Lifecycle ({@link State}):
 * <pre>
 * NEW -> RUNNING        // its hub runs it, after the spawner blocked or yielded
 * NEW -> CANCELLED      // kill()/cancel() before it ran: the function never runs
 * RUNNING -> FINISHED   // the function returned or threw (a kill throws GreenletExit in it)
 * </pre>
 * {@link #started()} is RUNNING or FINISHED; {@link #ready()} and
 * {@link #dead()} are FINISHED or CANCELLED.
 *
 * <p>Overview: the result is set before links run and before waiters wake,
 * so every observer sees the same outcome. A kill is a throw delivered at the
 * target's next blocking point ({@link Greenlet#throwIn}); when it had to end
 * a JDK call by interrupting it, the {@code InterruptedException} (or closed
 * channel) that the call threw is replaced by the kill's throwable
 * ({@link Greenlet#translate}), so users never see the interrupt.
 */
public final class GreenThread<T> {
    /** Where it is in its life; see the table above. */
    private enum State {
        NEW, RUNNING, FINISHED, CANCELLED;

        boolean over() {
            return this == FINISHED || this == CANCELLED;
        }
    }

    private final Hub hub;
    private final Greenlet greenlet;
    private final Callable<T> fn;
    private final boolean logFailure;
    private State state = State.NEW;
    private T result;
    private Throwable error;
    private ArrayDeque<Greenlet> waiters;
    private List<Consumer<GreenThread<T>>> links;
    /** The timer that will start it (spawnAfter), or null. */
    Timer startTimer;

    GreenThread(Hub hub, Callable<T> fn) {
        this.hub = hub;
        this.fn = fn;
        this.logFailure = true;
        this.greenlet = hub.newGreenlet(this::main);
        greenlet.setAttachment(this);
    }

    /** A view of a running spawnN greenlet, made when it asks for getCurrent(). */
    GreenThread(Greenlet running) {
        this.hub = running.hub();
        this.fn = null;
        this.logFailure = false;
        this.greenlet = running;
        this.state = State.RUNNING;
        running.setAttachment(this);
    }

    void start() {
        greenlet.start();
    }

    Greenlet greenlet() {
        return greenlet;
    }

    private void main() {
        if (state != State.NEW) {
            return;
        }
        Throwable early = greenlet.takePending();
        if (early != null) {
            finish(null, early);
            return;
        }
        state = State.RUNNING;
        T value;
        try {
            value = fn.call();
        } catch (Throwable t) {
            Throwable outcome = greenlet.translate(t);
            finish(null, outcome);
            if (logFailure && !(outcome instanceof GreenletExit)) {
                hub.reportFailure(this, outcome);
            }
            return;
        }
        finish(value, null);
    }

    /** Sets the outcome, wakes the waiters in order, then runs the links (in this green thread). */
    void finish(T value, Throwable failure) {
        if (state.over()) {
            return;
        }
        result = value;
        error = failure;
        state = state == State.NEW ? State.CANCELLED : State.FINISHED;
        if (waiters != null) {
            for (Greenlet w : waiters) {
                w.wake();
            }
            waiters = null;
        }
        if (links != null) {
            List<Consumer<GreenThread<T>>> ls = links;
            links = null;
            for (Consumer<GreenThread<T>> fn : ls) {
                runLink(fn);
            }
        }
    }

    private void runLink(Consumer<GreenThread<T>> fn) {
        try {
            fn.accept(this);
        } catch (Throwable t) {
            hub.reportFailure("link " + fn + " of " + this, t);
        }
    }

    /**
     * eventlet's {@code wait()}: blocks until it finishes and returns its
     * result, or rethrows its exception (unchecked as the same instance,
     * checked wrapped in {@link GreenThreadException}).
     */
    public T await() {
        Greenlet me = enter();
        if (!state.over()) {
            if (me == greenlet) {
                throw new IllegalStateException("a green thread cannot await itself: " + this);
            }
            if (waiters == null) {
                waiters = new ArrayDeque<>(2);
            }
            waiters.add(me);
            try {
                me.waitFor(this::ready);
            } finally {
                if (!state.over()) {
                    waiters.remove(me);
                }
            }
        }
        if (error != null) {
            throw GreenThreadException.rethrow(error);
        }
        return result;
    }

    /** True once it finished, by any means. */
    public boolean ready() {
        return state.over();
    }

    /** Same as {@link #ready()}: it has finished and will never run again. */
    public boolean dead() {
        return state.over();
    }

    /** True once its function began to run. */
    public boolean started() {
        return state == State.RUNNING || state == State.FINISHED;
    }

    /** True if it finished by returning a value. */
    public boolean successful() {
        return state.over() && error == null;
    }

    /**
     * Calls {@code fn} with this green thread when it finishes, in the
     * finishing green thread after the result is set; at once if it has
     * finished already.
     */
    public void link(Consumer<GreenThread<T>> fn) {
        if (fn == null) {
            throw new NullPointerException("fn");
        }
        enter();
        if (state.over()) {
            runLink(fn);
            return;
        }
        if (links == null) {
            links = new ArrayList<>(2);
        }
        links.add(fn);
    }

    /** Removes a link; true if it was linked. */
    public boolean unlink(Consumer<GreenThread<T>> fn) {
        enter();
        return links != null && links.remove(fn);
    }

    /** Kills it with {@link GreenletExit}; see {@link #kill(Throwable)}. */
    public void kill() {
        kill(new GreenletExit());
    }

    /**
     * Raises {@code t} in it. Not started: its function never runs and it is
     * dead at once. Running: the caller yields and resumes after the target
     * ran its {@code finally} blocks up to its next blocking point. Dead:
     * nothing happens. Killing the calling green thread throws {@code t} here.
     */
    public void kill(Throwable t) {
        if (t == null) {
            throw new NullPointerException("t");
        }
        Greenlet me = enter();
        if (state.over()) {
            return;
        }
        if (state == State.NEW) {
            if (startTimer != null) {
                startTimer.cancel();
            }
            greenlet.throwIn(t);
            finish(null, t);
            return;
        }
        if (me == greenlet) {
            throw GreenThreadException.rethrow(t);
        }
        greenlet.throwIn(t);
        me.yieldNow();
    }

    /** Kills it only if it has not started yet. */
    public void cancel() {
        enter();
        if (state == State.NEW) {
            kill();
        }
    }

    /** The caller's greenlet, after checking it runs on this green thread's hub. */
    private Greenlet enter() {
        Greenlet me = Greenlet.current();
        if (me.hub() != hub) {
            throw Confinement.wrongHub(hub, me.hub(), this);
        }
        return me;
    }

    @Override
    public String toString() {
        return "GreenThread[" + greenlet.thread().threadId() + (fn != null ? ", " + fn : "")
                + switch (state) {
                    case NEW -> ", new";
                    case RUNNING -> ", running";
                    case FINISHED -> error == null ? ", returned" : ", failed: " + error;
                    case CANCELLED -> ", cancelled: " + error;
                } + "]";
    }
}

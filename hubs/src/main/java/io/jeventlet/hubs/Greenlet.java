package io.jeventlet.hubs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What a hub parks and wakes: either a green thread (a virtual thread whose
 * scheduler is the hub) or the hub's main greenlet (the OS thread that owns
 * the hub, which runs the hub loop whenever it waits). This is the primitive
 * every blocking function of the runtime is built on; users see it through
 * {@code io.jeventlet.GreenThread}.
 *
 * <p>Thread rule: {@link #park()} only by the greenlet itself; {@link #wake()}
 * and {@link #throwIn(Throwable)} from any thread.
 *
 * <p>Lifecycle ({@link State}; a main greenlet is STARTED from birth and never dies):
 * <pre>
 * NEW -> STARTED   // start(): queued on the hub, runs when the spawner yields
 * STARTED -> DEAD  // its body returned or threw (a kill before it ran ends it at once)
 * </pre>
 *
 * <p>Overview: every wait is {@link #waitFor}: park while a condition does
 * not hold — park may return spuriously, so no wake-up is ever lost
 * (invariant 5). A throw (kill,
 * Timeout) is stored in {@code pending} and delivered by the target itself at
 * its next park: it is never interrupted while parked here, so a kill does not
 * close the channels it holds. Only a green thread blocked inside a JDK call
 * (socket, Thread.sleep) is interrupted, because that is the only way to end
 * such a call; {@code parkedInHub} tells the two apart without a race: the
 * target publishes it before checking {@code pending}, the thrower publishes
 * {@code pending} before reading it.
 *
 * <p>A green thread finds its greenlet as its virtual thread's
 * uncaught-exception handler, set at creation: one field read, and the right
 * place for a failure that escapes the runtime's own catch. The alternatives
 * were measured and cost more: a ThreadLocal puts a weak-reference entry per
 * green thread on the GC, a ScopedValue puts its frames into every parked
 * green thread's stack (700 bytes each). So code in a green thread must not
 * replace that handler.
 */
public final class Greenlet implements Thread.UncaughtExceptionHandler {
    private static final ThreadLocal<Greenlet> MAIN = new ThreadLocal<>();
    private static final VarHandle PENDING;
    private static final VarHandle STATE;

    /** Where a greenlet is in its life; see the table above. */
    private enum State { NEW, STARTED, DEAD }

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(Greenlet.class, "pending", Throwable.class);
            STATE = MethodHandles.lookup().findVarHandle(Greenlet.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Hub hub;
    /** The virtual thread, or for a main greenlet the owning OS thread (null until bound). */
    volatile Thread thread;
    final boolean main;
    private final Runnable body;
    private volatile Throwable pending;
    /**
     * The throw last delivered by interrupting a JDK call. That call then fails
     * with whatever the JDK makes of an interrupt (InterruptedException, a
     * closed channel, "SocketException: Closed by interrupt"); the runtime
     * reports this throw instead, even if user code cancelled the Timeout in a
     * finally block on the way out.
     */
    private volatile Throwable interruptedFor;
    private volatile boolean parkedInHub;
    /** Volatile, as throwIn reads it from any thread; start() needs only a release store (one carrier). */
    private volatile State state;
    private volatile boolean woken;
    /** The runtime object this greenlet runs for (a GreenThread), or null. */
    private volatile Object attachment;
    /** Hub-confined links of the hub's list of live green threads. */
    Greenlet prev;
    Greenlet next;

    private Greenlet(Hub hub, Thread thread, boolean main, Runnable body) {
        this.hub = hub;
        this.thread = thread;
        this.main = main;
        this.body = body;
        this.state = main ? State.STARTED : State.NEW;
    }

    void bindThread(Thread t) {
        thread = t;
    }

    static Greenlet newMain(Hub hub, Thread owner) {
        return new Greenlet(hub, owner, true, null);
    }

    static Greenlet newGreen(Hub hub, Thread.Builder.OfVirtual builder, Runnable body) {
        Greenlet[] self = new Greenlet[1];
        Thread vt = builder.unstarted(() -> self[0].runBody());
        self[0] = new Greenlet(hub, vt, false, body);
        vt.setUncaughtExceptionHandler(self[0]);
        return self[0];
    }

    /**
     * The greenlet of the caller: the running green thread's, or the main
     * greenlet of this OS thread's hub (creating that hub on first use).
     */
    public static Greenlet current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            if (t.getUncaughtExceptionHandler() instanceof Greenlet g) {
                return g;
            }
            throw new IllegalStateException("a virtual thread that is not a green thread has no hub: "
                    + t + " (start green threads with Eventlet.spawn)");
        }
        Greenlet g = MAIN.get();
        if (g == null) {
            g = new Hub(HubClock.real(), t).main;
            MAIN.set(g);
        }
        return g;
    }

    /** The green thread running now, or null on a plain OS thread or in a hub callback. */
    public static Greenlet currentGreen() {
        Thread t = Thread.currentThread();
        return t.isVirtual() && t.getUncaughtExceptionHandler() instanceof Greenlet g ? g : null;
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        hub.reportFailure(this, e);
    }

    /** The main greenlet bound to this OS thread, or null (package use: Hub.run binds it). */
    static Greenlet swapMain(Greenlet g) {
        Greenlet old = MAIN.get();
        if (g == null) {
            MAIN.remove();
        } else {
            MAIN.set(g);
        }
        return old;
    }

    public Hub hub() {
        return hub;
    }

    /** True for the main greenlet of an OS thread, false for a green thread. */
    public boolean isMain() {
        return main;
    }

    /** The virtual thread of a green thread, or the OS thread of a main greenlet. */
    public Thread thread() {
        return thread;
    }

    public boolean isDead() {
        return state == State.DEAD;
    }

    public boolean isStarted() {
        return state != State.NEW;
    }

    public Object attachment() {
        return attachment;
    }

    public void setAttachment(Object attachment) {
        this.attachment = attachment;
    }

    /** Queues a new green thread on its hub; it runs when the caller blocks or yields. */
    public void start() {
        hub.checkConfined();
        if (state != State.NEW) {
            throw new IllegalStateException("greenlet already started: " + this);
        }
        STATE.setRelease(this, State.STARTED);
        hub.green.add(this);
        thread.start();
    }

    private void runBody() {
        hub.lastResumed = this;
        try {
            body.run();
        } catch (Throwable t) {
            hub.reportFailure(this, t);
        } finally {
            state = State.DEAD;
            hub.green.remove(this);
        }
    }

    /**
     * Parks the calling greenlet until {@link #wake()} or a throw; may return
     * spuriously. A pending throw (kill, Timeout) is thrown from here.
     * From a main greenlet this runs the hub loop; from inside a hub callback it
     * throws {@link IllegalStateException}, since that would deadlock the hub.
     */
    public void park() {
        park(false);
    }

    /**
     * As {@link #park()}, for a wait that another OS thread ends (a thread
     * pool, a foreign callback): while it lasts the hub cannot raise
     * {@link LoopExit}, since the wake-up comes from outside.
     */
    public void parkForeign() {
        park(true);
    }

    private void park(boolean foreign) {
        throwPending();
        if (main) {
            hub.runFromMain(this, true, foreign);
            woken = false;
        } else {
            Hub h = hub;
            if (foreign) {
                h.green.foreign++;
                h.green.foreignGreen++;
            } else {
                h.green.parked++;
            }
            parkedInHub = true;
            try {
                if (pending == null) {
                    if (Thread.interrupted()) {
                        // A stale interrupt would make every park return at once: a spin.
                        LockSupport.unpark(thread);
                    }
                    LockSupport.park(this);
                }
            } finally {
                parkedInHub = false;
                if (foreign) {
                    h.green.foreign--;
                    h.green.foreignGreen--;
                } else {
                    h.green.parked--;
                }
                h.lastResumed = this;
            }
        }
        throwPending();
    }

    /**
     * Parks until woken or until the hub's clock reaches {@code deadline};
     * returns false if the deadline passed first. A deadline of
     * {@code Double.POSITIVE_INFINITY} waits with no timer.
     */
    public boolean parkUntil(double deadline) {
        if (deadline == Double.POSITIVE_INFINITY) {
            park();
            return true;
        }
        if (hub.clock() >= deadline) {
            return false;
        }
        Timer t = hub.scheduleAt(deadline, this::wake, null);
        try {
            park();
        } finally {
            t.cancel();
        }
        return hub.clock() < deadline;
    }

    /**
     * The one wait of the runtime: parks until {@code condition} holds or the
     * hub's clock reaches {@code deadline} ({@code Double.POSITIVE_INFINITY}:
     * no limit), and returns whether it holds. The condition is checked before
     * the first park and after every wake-up, so an early or spurious wake-up
     * is harmless and none is lost (invariant 5); a pending throw (kill,
     * Timeout) is thrown from here. The waker changes the state the condition
     * reads, then calls {@link #wake()}.
     * <pre>{@code
     * waiters.add(me);                                  // so that a sender finds me
     * try {
     *     if (!me.waitFor(() -> sent, deadline)) return null;   // timed out
     * } finally {
     *     waiters.remove(me);
     * }
     * }</pre>
     */
    public boolean waitFor(BooleanSupplier condition, double deadline) {
        while (!condition.getAsBoolean()) {
            if (!parkUntil(deadline)) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** {@link #waitFor(BooleanSupplier, double)} with no deadline. */
    public void waitFor(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            park();
        }
    }

    /** As {@link #waitFor(BooleanSupplier)}, for a condition that another OS thread makes true ({@link #parkForeign()}). */
    public void waitForForeign(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            parkForeign();
        }
    }

    /** Yields: everything already runnable on the hub runs before the caller resumes. */
    public void yieldNow() {
        throwPending();
        if (main) {
            hub.runFromMain(this, false, false);
        } else {
            Thread.yield();
            hub.lastResumed = this;
        }
        throwPending();
    }

    /** Makes it runnable if it is parked here. Thread-safe; waking a running greenlet is harmless. */
    public void wake() {
        if (main) {
            woken = true;
            hub.sleep.wake();
        } else {
            LockSupport.unpark(thread);
        }
    }

    /** True after wake() until the main greenlet's wait returns (hub use). */
    boolean woken() {
        return woken;
    }

    /**
     * Delivers {@code t} at the greenlet's current or next blocking point.
     * Thread-safe. If a throw is already pending the first one wins. A green
     * thread blocked in a JDK call is interrupted to end that call; one parked
     * here is only woken. Returns false if it is dead (nothing delivered).
     */
    public boolean throwIn(Throwable t) {
        if (state == State.DEAD) {
            return false;
        }
        PENDING.compareAndSet(this, null, t);
        nudge();
        return true;
    }

    /** The throw waiting for delivery, or null. */
    public Throwable pending() {
        return pending;
    }

    /** Clears and returns the pending throw (for a body that ended before it saw it). */
    public Throwable takePending() {
        return (Throwable) PENDING.getAndSet(this, null);
    }

    private void nudge() {
        if (main || parkedInHub) {
            wake();
            return;
        }
        switch (thread.getState()) {
            case NEW, TERMINATED -> { }
            case WAITING, TIMED_WAITING, BLOCKED -> {
                if (parkedInHub) {
                    wake();
                } else {
                    interruptedFor = pending;
                    thread.interrupt();
                }
            }
            case RUNNABLE -> {
                if (Thread.currentThread() != thread) {
                    // Queued to run (or running on another hub): look again once it had its turn.
                    hub.afterTurn(this::nudgeIfPending);
                }
            }
        }
    }

    private void nudgeIfPending() {
        if (pending != null && state != State.DEAD) {
            nudge();
        }
    }

    /**
     * What a green function's failure {@code failure} really is: the pending or
     * interrupt-delivered throw when {@code failure} is what the JDK made of
     * that interrupt, else {@code failure} itself. Clears what it uses.
     */
    public Throwable translate(Throwable failure) {
        Throwable via = interruptedFor;
        if (via == null || !isInterruption(failure)) {
            return failure;
        }
        interruptedFor = null;
        Throwable p = pending;
        if (p != null) {
            takePending();
            return p;
        }
        return via;
    }

    /** True if {@code t} (or a cause) is how the JDK reports an interrupted call. */
    public static boolean isInterruption(Throwable t) {
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException
                    || t instanceof java.io.InterruptedIOException) {
                return true;
            }
            String m = t.getMessage();
            if (t instanceof java.io.IOException && m != null && m.toLowerCase(java.util.Locale.ROOT).contains("interrupt")) {
                return true;
            }
        }
        return false;
    }

    /** Throws the pending throw, if any, and clears the interrupt that may have carried it. */
    public void throwPending() {
        Throwable t = pending;
        if (t != null) {
            t = takePending();
            if (t != null) {
                if (!main) {
                    Thread.interrupted();
                    interruptedFor = null;
                }
                throw sneaky(t);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public String toString() {
        Object a = attachment;
        if (a != null) {
            return a.toString();
        }
        return main ? "MainGreenlet[" + (thread == null ? "unbound" : thread.getName()) + "]" : "Greenlet[" + thread + "]";
    }
}

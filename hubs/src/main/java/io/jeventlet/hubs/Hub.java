package io.jeventlet.hubs;

import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * eventlet's hub: one loop on one OS thread that runs its green threads one at
 * a time, fires its timers and waits for I/O readiness. Exactly one green
 * thread (or callback) of a hub runs at any moment.
 *
 * <pre>{@code
 * Hub hub = Hub.get();                                   // this thread's hub
 * hub.scheduleCallGlobal(0.5, () -> LOG.info("half a second later"));
 * Eventlet.sleep(1);                                     // runs the hub meanwhile
 * }</pre>
 *
 * <p>Thread rule: hub-confined — every method but {@link #callThreadsafe},
 * {@link #abort()}, {@link #running()}, {@link #clock()}, {@link #dump()} and
 * the counters must be called from the hub's own green threads or callbacks
 * (checked).
 *
 * <p>Overview: green threads are virtual threads whose scheduler is this hub.
 * When one becomes runnable the JDK calls {@link #execute}, which appends its
 * continuation to {@code ready} when the caller is on this hub's carrier, or
 * to the lock-free {@code inbox} (then wakes the carrier) from any other
 * thread. Those two queues, {@code execute} and {@code callThreadsafe} are
 * the only doors in (invariant 1). The OS thread that owns the hub (its
 * creator, or the caller of {@link #run()}) is its carrier; it runs the loop
 * inside {@code run()}, or while it waits in a blocking function (it is then
 * the "main greenlet"). One iteration of the loop ({@code iterate}):
 * <ol>
 * <li>move the inbox to the ready queue;
 * <li>fire the timers due now, in (deadline, sequence) order, among those that
 * existed when the pass began;
 * <li>run the tasks that were ready when the iteration began — a task queued
 * meanwhile runs in the next iteration, after everything queued before it
 * (invariant 2);
 * <li>every {@link #IO_POLL_EVERY}th iteration, if a green thread waits for a
 * channel, poll the selector without waiting;
 * <li>if nothing is ready, the inbox is empty, the loop is not aborted and
 * its waiter not woken, idle: throw {@link LoopExit} to a waiter nothing can
 * wake; on a virtual clock, poll I/O and jump to the next timer; else sleep
 * ({@link CarrierSleep}) until the next timer, I/O or a wake-up.
 * </ol>
 */
public final class Hub {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    /**
     * A hub whose ready queue never empties never idles, so it would never
     * select: every this-many iterations, while a green thread waits for a
     * channel, it polls the selector without waiting. A poll is a system
     * call, far dearer than a switch; once per 64 iterations keeps its cost
     * small in a switch-heavy loop and still bounds how long a ready channel
     * waits under load.
     */
    static final int IO_POLL_EVERY = 64;

    /**
     * Real time a virtual-clock hub waits for a green thread blocked in a JDK
     * wait before it advances its clock past it (ended early by any work from
     * outside).
     */
    static final long JDK_WAIT_GRACE_NANOS = 250_000_000L;

    static {
        // Not VirtualThreads.check(): failing here would bury the one-line
        // message about --add-opens under an ExceptionInInitializerError; the
        // constructor's builder() call throws it plainly at the caller.
        VirtualThreads.startJdkPollers();
    }

    private final HubClock clock;
    private final Thread.Builder.OfVirtual builder;
    final Greenlet main;
    private volatile Thread owner;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /**
     * Work handed in by other OS threads (the inbox door): the one place hubs
     * and other threads meet. Only that door counts, so the switch, spawn,
     * timer and trampoline paths, which never leave the carrier, never touch
     * it; a test holds them to that.
     */
    private final AtomicLong outsideEntries = new AtomicLong();
    final TimerHeap timers = new TimerHeap();
    private final Listeners listeners = new Listeners(this);
    /** Where the carrier sleeps when idle; {@code sleep.wake()} after publishing work wakes it. Thread-safe. */
    final CarrierSleep sleep = new CarrierSleep(this, listeners);
    final LiveGreenThreads green = new LiveGreenThreads();
    private long timerSeq;
    private volatile boolean aborted;
    /** True while {@link #run()} loops: what {@link #running()} reports to any thread. */
    private volatile boolean inRun;
    /** True while the carrier executes the loop, from {@code run()} or a main greenlet's wait. */
    private boolean loopOnStack;
    private boolean inCallback;
    private int ioTick;
    private boolean debugExceptions = true;
    /**
     * The green thread that last resumed in this runtime's code: a hint for the
     * blocking detector, which reads it racily and checks it; plain, because a
     * volatile store on every switch would cost more than the hint is worth.
     */
    Greenlet lastResumed;

    final BlockingDetector.Watch watch = new BlockingDetector.Watch();

    Hub(HubClock clock, Thread owner) {
        this.clock = clock;
        this.owner = owner;
        this.main = Greenlet.newMain(this, owner);
        this.builder = VirtualThreads.builder(this::execute);
    }

    /**
     * The hub of the calling green thread or callback; on a plain OS thread,
     * that thread's own hub, created on first use.
     */
    public static Hub get() {
        return Greenlet.current().hub;
    }

    /**
     * A new hub with the given clock, bound to no thread yet: code gets onto
     * it with {@link #callThreadsafe}, and the OS thread that calls
     * {@link #run()} becomes its carrier.
     */
    public static Hub withClock(HubClock clock) {
        if (clock == null) {
            throw new NullPointerException("clock");
        }
        return new Hub(clock, null);
    }

    /** The hub's monotonic clock, in seconds. Thread-safe. */
    public double clock() {
        return clock.now();
    }

    /** The clock this hub measures every time on. */
    public HubClock hubClock() {
        return clock;
    }

    /**
     * Runs {@code cb} in the hub after {@code seconds}. Equal deadlines fire in
     * scheduling order. A failure in {@code cb} is reported and the hub goes on.
     */
    public Timer scheduleCallGlobal(double seconds, Runnable cb) {
        Seconds.check("seconds", seconds);
        return scheduleAt(clock.now() + seconds, cb, null, seconds);
    }

    /**
     * As {@link #scheduleCallGlobal}, but the timer is cancelled if the green
     * thread that scheduled it has exited by then.
     */
    public Timer scheduleCallLocal(double seconds, Runnable cb) {
        Seconds.check("seconds", seconds);
        Greenlet g = Greenlet.current();
        return scheduleAt(clock.now() + seconds, cb, g.isMain() ? null : g, seconds);
    }

    Timer scheduleAt(double deadline, Runnable cb, Greenlet owner) {
        return scheduleAt(deadline, cb, owner, Math.max(0, deadline - clock.now()));
    }

    private Timer scheduleAt(double deadline, Runnable cb, Greenlet owner, double seconds) {
        if (cb == null) {
            throw new NullPointerException("cb");
        }
        checkConfined();
        ScheduledTimer t = new ScheduledTimer(this, deadline, timerSeq++, seconds, cb, owner);
        timers.add(t);
        return t;
    }

    /**
     * Hands the hub a callback from any OS thread; it runs in the hub soon, in
     * submission order. Thread-safe.
     *
     * <p>This is the door between hubs. Events, queues, semaphores, pools and
     * green threads are confined to one hub, and using one from another hub
     * is an {@link IllegalStateException}; to hand work or a result to
     * another hub, post a callback that does it there. The callback runs on
     * the hub's loop, so it must not block: to wait, it spawns a green thread.
     * <pre>{@code
     * Queue<String> updates = new Queue<>();           // used by agentHub's green threads
     * // on any other OS thread, or a green thread of another hub:
     * agentHub.callThreadsafe(() -> updates.putNowait("router-1"));
     * }</pre>
     * The README's "Several hubs" section shows a reply going back the same way.
     */
    public void callThreadsafe(Runnable cb) {
        if (cb == null) {
            throw new NullPointerException("cb");
        }
        if (!confined()) {
            outsideEntries.getAndIncrement();
        }
        inbox.offer(() -> dispatch(cb));
        sleep.wake();
    }

    /**
     * Runs the loop until {@link #abort()}; the calling OS thread becomes the
     * hub's carrier. A hub is run by one thread at a time.
     */
    public void run() {
        bind();
        if (loopOnStack) {
            throw new IllegalStateException("hub is already running its loop");
        }
        Greenlet previous = Greenlet.swapMain(main);
        loopOnStack = true;
        inRun = true;
        aborted = false;
        try {
            while (!aborted) {
                iterate(true, null);
            }
        } finally {
            loopOnStack = false;
            inRun = false;
            Greenlet.swapMain(previous);
            sleep.restoreInterrupt();
        }
    }

    /** Makes {@link #run()} return after the current iteration. Thread-safe. */
    public void abort() {
        aborted = true;
        sleep.wake();
    }

    /** True while {@link #run()} is looping. Thread-safe. */
    public boolean running() {
        return inRun;
    }

    /**
     * Parks the current green thread (or runs the loop, for the main greenlet)
     * until {@code ch} is ready to read and/or write. The channel must be in
     * non-blocking mode. On timeout throws {@code io.jeventlet.Timeout}; two
     * green threads waiting to read (or to write) the same channel is an
     * {@link IllegalStateException}.
     */
    public void trampoline(SelectableChannel ch, boolean read, boolean write, double timeoutSeconds) {
        Seconds.check("timeoutSeconds", timeoutSeconds);
        listeners.trampoline(ch, read, write, timeoutSeconds);
    }

    /** On (default): a failure in a callback or spawnN function is logged at ERROR with its stack. */
    public void setDebugExceptions(boolean on) {
        debugExceptions = on;
    }

    /**
     * Warns, with the offender's stack, when one green thread or callback holds
     * the hub longer than {@code seconds} without yielding; 0 turns it off.
     */
    public void setBlockingDetection(double seconds) {
        Seconds.check("seconds", seconds);
        BlockingDetector.configure(this, seconds);
    }

    Thread owner() {
        return owner;
    }

    /** Every live green thread with its state and stack, and the hub's counters. Thread-safe (a snapshot). */
    public String dump() {
        return HubDump.dump(this, green, ready.size() + inbox.size(), timers.live(), listeners.count());
    }

    /** Green threads started and not dead; with the next two, zero after a clean test (eventlet's check_hub). */
    public int greenThreadCount() {
        return green.live;
    }

    /** Timers that will still fire (not cancelled). */
    public int timerCount() {
        return timers.live();
    }

    /** Green threads waiting in {@link #trampoline}. The three counters are thread-safe snapshots. */
    public int listenerCount() {
        return listeners.count();
    }

    /**
     * This hub's counters now, for monitoring (see {@link HubStats}). Thread-safe; reads
     * a few fields, touches nothing the switch path writes.
     */
    public HubStats stats() {
        return new HubStats(green.live, ready.size() + inbox.size(), timers.live(), listeners.count(),
                watch.reports, watch.limitNanos / 1e9);
    }

    /**
     * A new, unstarted green thread of this hub running {@code body}
     * ({@link Greenlet#start()} queues it). The runtime's spawn functions are
     * built on this.
     */
    public Greenlet newGreenlet(Runnable body) {
        checkConfined();
        return Greenlet.newGreen(this, builder, body);
    }

    /**
     * Reports a failure that nobody else will see: logged once at ERROR with its
     * stack when debug exceptions are on, and the hub goes on (invariant 3).
     */
    public void reportFailure(Object where, Throwable t) {
        if (debugExceptions) {
            LOG.error("unhandled failure in {}", where, t);
        }
    }

    /** Fails unless called on this hub's carrier (from its green threads or callbacks). */
    public void checkConfined() {
        if (!confined()) {
            Thread o = owner;
            throw new IllegalStateException("hub-confined call from " + Thread.currentThread()
                    + (o == null ? ": the hub is not running yet; enter it with callThreadsafe"
                            : ": the hub belongs to " + o + "; use callThreadsafe"));
        }
    }

    /** True when the caller runs on this hub's carrier. */
    boolean confined() {
        Thread o = owner;
        return o != null && VirtualThreads.currentCarrier() == o;
    }

    // ---- the JDK's door and the loop ----------------------------------------------------------

    private void execute(Runnable task) {
        Thread o = owner;
        if (o != null && VirtualThreads.currentCarrier() == o) {
            ready.addLast(task);
        } else {
            enterFromOutside(task);
        }
    }

    /** The inbox door for another thread's task: kept out of {@code execute}, whose hot path stays as small as it was. */
    private void enterFromOutside(Runnable task) {
        outsideEntries.getAndIncrement();
        inbox.offer(task);
        sleep.wake();
    }

    /** Tasks and callbacks other OS threads handed this hub so far. Thread-safe. */
    long outsideEntries() {
        return outsideEntries.get();
    }

    /** Work from outside the loop that must not wait for a sleep to end (CarrierSleep re-checks it). */
    boolean hasOutsideWork() {
        return !inbox.isEmpty() || aborted || main.woken();
    }

    /** Runs {@code r} once every task queued now has had its turn. Thread-safe. */
    void afterTurn(Runnable r) {
        if (confined()) {
            ready.addLast(() -> dispatch(r));
        } else {
            callThreadsafe(r);
        }
    }

    private void bind() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            throw new IllegalStateException("a hub's loop runs on an OS thread, not on " + t);
        }
        Thread o = owner;
        if (o == null) {
            synchronized (this) {
                if (owner == null) {
                    owner = t;
                    main.bindThread(t);
                }
                o = owner;
            }
        }
        if (o != t) {
            throw new IllegalStateException("hub belongs to " + o + ", not to " + t);
        }
    }

    /** The main greenlet may run the loop only from outside it: never from one of its callbacks. */
    private void enterFromMain() {
        if (inCallback) {
            throw new BlockingOperationException("do not call blocking functions from the hub's callbacks"
                    + " (a timer or callThreadsafe task): " + HubDump.awaited(Thread.currentThread())
                    + " would deadlock the hub; spawn a green thread for it instead");
        }
        bind();
    }

    /**
     * The main greenlet's wait: run the loop until {@code g} is woken or sent a
     * throw ({@code untilWoken}), or for one iteration that never sleeps (its
     * {@code sleep(0)}). A {@code foreign} wait is ended by another OS thread,
     * so the loop cannot raise {@link LoopExit} for it.
     */
    void runFromMain(Greenlet g, boolean untilWoken, boolean foreign) {
        enterFromMain();
        boolean outer = loopOnStack;
        loopOnStack = true;
        if (foreign) {
            green.foreign++;
        }
        try {
            if (!untilWoken) {
                iterate(false, g);
            }
            while (untilWoken && !g.woken() && g.pending() == null) {
                iterate(true, foreign ? null : g);
            }
        } finally {
            loopOnStack = outer;
            if (foreign) {
                green.foreign--;
            }
            sleep.restoreInterrupt();
        }
    }

    private void iterate(boolean mayBlock, Greenlet waiter) {
        drainInbox();
        fireTimers();
        int n = ready.size();
        boolean detect = watch.on();
        for (int i = 0; i < n; i++) {
            Runnable task = ready.pollFirst();
            if (detect) {
                watch.begin();
            }
            task.run();
            if (detect) {
                watch.end();
            }
        }
        if (listeners.count() > 0 && ++ioTick >= IO_POLL_EVERY) {
            ioTick = 0;
            listeners.poll(0);
        }
        if (mayBlock && ready.isEmpty() && inbox.isEmpty() && !aborted && (waiter == null || !waiter.woken())) {
            idle(waiter);
        }
    }

    private void drainInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            ready.addLast(r);
        }
    }

    private void fireTimers() {
        if (timers.peekLive() == null) {
            return;
        }
        // Only timers that existed when the pass began: a callback that keeps
        // re-arming a zero-delay timer must not starve the ready queue (on a
        // virtual clock its deadline equals "now" for ever).
        double now = clock.now();
        long limit = timerSeq;
        for (ScheduledTimer t; (t = timers.pollDue(now, limit)) != null; ) {
            if (t.owner != null && t.owner.isDead()) {
                t.markDropped();
            } else {
                t.markCalled();
                dispatch(t.callback);
            }
        }
    }

    private void dispatch(Runnable cb) {
        boolean outer = inCallback;
        inCallback = true;
        boolean detect = watch.on() && !outer;
        if (detect) {
            watch.begin();
        }
        try {
            cb.run();
        } catch (Throwable e) {
            reportFailure("hub callback " + cb, e);
        } finally {
            inCallback = outer;
            if (detect) {
                watch.end();
            }
        }
    }

    private void idle(Greenlet waiter) {
        ScheduledTimer next = timers.peekLive();
        if (waiter != null && next == null && listeners.count() == 0 && green.allParkedInHub() && inbox.isEmpty()) {
            throw new LoopExit("nothing can ever wake " + waiter + " waiting in " + HubDump.awaited(waiter.thread)
                    + ": no runnable green thread, timer, I/O listener or outside wait is left on the hub");
        }
        if (clock.isVirtual()) {
            if (listeners.count() > 0) {
                listeners.poll(0);
            }
            if (!ready.isEmpty() || !inbox.isEmpty()) {
                return;
            }
            if (next != null) {
                if (green.anyInJdkWait()) {
                    // A green thread blocked in a JDK wait (say a logging lock another OS thread holds)
                    // is made runnable from outside: give it real time before jumping virtual time past
                    // it, or a loaded machine turns its delay into a timeout that never happens on an
                    // idle one. Bounded, since such a wait may also last (a JDK socket read).
                    sleep.sleep(JDK_WAIT_GRACE_NANOS);
                    if (!ready.isEmpty() || !inbox.isEmpty()) {
                        return;
                    }
                }
                clock.advanceTo(next.deadline);
                return;
            }
            sleep.sleep(-1);
            return;
        }
        long nanos = next == null ? -1 : Math.max(0, (long) ((next.deadline - clock.now()) * 1e9));
        if (nanos != 0) {
            sleep.sleep(nanos);
        }
    }

    @Override
    public String toString() {
        Thread o = owner;
        return "Hub[" + (o == null ? "unbound" : o.getName()) + ", " + clock + "]";
    }
}

package io.jeventlet.hubs;

import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * eventlet's hub: one loop on one OS thread that runs its green threads one at
 * a time, fires its timers and waits for I/O readiness. Exactly one green
 * thread (or callback) of a hub runs at any moment.
 *
 * <p>Thread rule: hub-confined — every method but {@link #callThreadsafe},
 * {@link #abort()}, {@link #running()}, {@link #clock()} and {@link #dump()}
 * must be called from the hub's own green threads or callbacks (checked).
 *
 * <p>Overview: green threads are virtual threads whose scheduler is this hub.
 * When one becomes runnable the JDK calls {@link #execute}, which appends its
 * continuation to {@code ready} when the caller is on this hub's carrier, or
 * to the lock-free {@code inbox} (then wakes the loop) from any other thread.
 * Those two queues, {@code execute} and {@code callThreadsafe} are the only
 * doors in (invariant 1). One iteration of the loop: move the inbox to the
 * ready queue, fire due timers in (deadline, sequence) order, run the tasks
 * that were ready when the iteration began — so a task queued now runs in the
 * next iteration, after everything queued before it (invariant 2) — and, when
 * nothing is ready, sleep until the next timer, an I/O event or a foreign
 * wake-up. The OS thread that owns the hub (its creator, or the caller of
 * {@link #run()}) is its carrier; it runs the loop only while it waits in a
 * blocking function (it is then the "main greenlet") or inside {@code run()}.
 */
public final class Hub {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    private static final int IO_POLL_EVERY = 64;
    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final int SELECTING = 2;

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
    final TimerHeap timers = new TimerHeap();
    private final Listeners listeners = new Listeners(this);
    private long timerSeq;
    private volatile int sleepState;
    private volatile boolean aborted;
    private volatile boolean runLoop;
    private boolean looping;
    private boolean inCallback;
    private boolean carrierInterrupted;
    private int ioTick;
    private boolean debugExceptions = true;

    /** Green threads started and not dead; of them, parked in this runtime's waits. */
    int liveGreen;
    int parkedGreen;
    /** Waits (green or main) that only another OS thread can end. */
    int foreignWaits;
    private Greenlet head;
    /**
     * The green thread that last resumed in this runtime's code: a hint for the
     * blocking detector, which reads it racily and checks it; plain, because a
     * volatile store on every switch would cost more than the hint is worth.
     */
    Greenlet running;

    /** Blocking detection: threshold in nanos (0 = off), and the running task's start. */
    private volatile long blockingNanos;
    volatile long taskStart;
    volatile long taskSeq;

    Hub(HubClock clock, Thread owner) {
        this.clock = clock;
        this.owner = owner;
        this.main = Greenlet.newMain(this, owner);
        Executor scheduler = this::execute;
        this.builder = VirtualThreads.builder(scheduler);
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
        Time.checkSeconds("seconds", seconds);
        return scheduleAt(clock.now() + seconds, cb, null, seconds);
    }

    /**
     * As {@link #scheduleCallGlobal}, but the timer is cancelled if the green
     * thread that scheduled it has exited by then.
     */
    public Timer scheduleCallLocal(double seconds, Runnable cb) {
        Time.checkSeconds("seconds", seconds);
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
     * Hub agentHub = Hub.get();                        // on the agent's hub
     * Queue<String> updates = new Queue<>();           // confined to agentHub
     * // on any other OS thread, or another hub's green thread:
     * agentHub.callThreadsafe(() -> updates.putNowait("router-1"));
     * // and a reply back: complete a CompletableFuture, or post to the caller's hub
     * Hub callerHub = Hub.get();
     * agentHub.callThreadsafe(() -> Eventlet.spawn(() -> {
     *     String r = process(updates.get());           // blocks a green thread of agentHub only
     *     callerHub.callThreadsafe(() -> replies.putNowait(r));
     * }));
     * }</pre>
     */
    public void callThreadsafe(Runnable cb) {
        if (cb == null) {
            throw new NullPointerException("cb");
        }
        inbox.offer(() -> dispatch(cb));
        wakeupFrom();
    }

    /**
     * Runs the loop until {@link #abort()}; the calling OS thread becomes the
     * hub's carrier. A hub is run by one thread at a time.
     */
    public void run() {
        bind();
        if (looping) {
            throw new IllegalStateException("hub is already running its loop");
        }
        Greenlet previous = Greenlet.swapMain(main);
        looping = true;
        runLoop = true;
        aborted = false;
        try {
            while (!aborted) {
                iterate(true, null);
            }
        } finally {
            looping = false;
            runLoop = false;
            Greenlet.swapMain(previous);
            restoreInterrupt();
        }
    }

    /** Makes {@link #run()} return after the current iteration. Thread-safe. */
    public void abort() {
        aborted = true;
        wakeupFrom();
    }

    /** True while {@link #run()} is looping. Thread-safe. */
    public boolean running() {
        return runLoop;
    }

    /**
     * Parks the current green thread (or runs the loop, for the main greenlet)
     * until {@code ch} is ready to read and/or write. The channel must be in
     * non-blocking mode. On timeout throws {@code io.jeventlet.Timeout}; two
     * green threads waiting to read (or to write) the same channel is an
     * {@link IllegalStateException}.
     */
    public void trampoline(SelectableChannel ch, boolean read, boolean write, double timeoutSeconds) {
        Time.checkSeconds("timeoutSeconds", timeoutSeconds);
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
        Time.checkSeconds("seconds", seconds);
        if (seconds == Double.POSITIVE_INFINITY) {
            seconds = 0;
        }
        blockingNanos = (long) (seconds * 1e9);
        if (blockingNanos > 0) {
            BlockingDetector.watch(this);
        } else {
            BlockingDetector.unwatch(this);
        }
    }

    long blockingNanos() {
        return blockingNanos;
    }

    Thread owner() {
        return owner;
    }

    /** Every live green thread with its state and stack, and the hub's counters. Thread-safe (a snapshot). */
    public String dump() {
        return HubDump.dump(this, head, ready.size() + inbox.size(), timers.live(), listeners.count());
    }

    /**
     * Green threads of this hub started and not dead yet. With
     * {@link #timerCount()} and {@link #listenerCount()}, what a test harness
     * checks is zero after each test (eventlet's {@code check_hub}).
     * Thread-safe (a snapshot when called from another thread).
     */
    public int greenThreadCount() {
        return liveGreen;
    }

    /** Timers of this hub that will still fire (cancelled ones not counted). Thread-safe (a snapshot). */
    public int timerCount() {
        return timers.live();
    }

    /** Green threads waiting in {@link #trampoline} for a channel. Thread-safe (a snapshot). */
    public int listenerCount() {
        return listeners.count();
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
        Thread o = owner;
        if (o == null || VirtualThreads.currentCarrier() != o) {
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
            inbox.offer(task);
            wakeupFrom();
        }
    }

    /** Wakes the loop if it sleeps; called after publishing work or a wake-up. Thread-safe. */
    void wakeupFrom() {
        int s = sleepState;
        if (s == SELECTING) {
            listeners.wakeup();
        } else if (s == PARKED) {
            Thread o = owner;
            if (o != null) {
                LockSupport.unpark(o);
            }
        }
    }

    /** Runs {@code r} once every task queued now has had its turn. Thread-safe. */
    void afterTurn(Runnable r) {
        if (confined()) {
            ready.addLast(() -> dispatch(r));
        } else {
            callThreadsafe(r);
        }
    }

    void onStart(Greenlet g) {
        liveGreen++;
        g.next = head;
        if (head != null) {
            head.prev = g;
        }
        head = g;
    }

    void onExit(Greenlet g) {
        liveGreen--;
        if (g.prev != null) {
            g.prev.next = g.next;
        } else if (head == g) {
            head = g.next;
        }
        if (g.next != null) {
            g.next.prev = g.prev;
        }
        g.prev = null;
        g.next = null;
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

    /** The main greenlet's wait: run the loop until it is woken or sent a throw. */
    void runUntilWoken(Greenlet g, boolean foreign) {
        enterFromMain();
        boolean wasLooping = looping;
        looping = true;
        if (foreign) {
            foreignWaits++;
        }
        try {
            while (!g.woken() && g.pending() == null) {
                iterate(true, foreign ? null : g);
            }
        } finally {
            looping = wasLooping;
            if (foreign) {
                foreignWaits--;
            }
            restoreInterrupt();
        }
    }

    /** sleep(0) of the main greenlet: one iteration that never sleeps. */
    void runOnceFromMain(Greenlet g) {
        enterFromMain();
        boolean wasLooping = looping;
        looping = true;
        try {
            iterate(false, g);
        } finally {
            looping = wasLooping;
        }
    }

    private void iterate(boolean mayBlock, Greenlet waiter) {
        drainInbox();
        fireTimers();
        int n = ready.size();
        boolean detect = blockingNanos > 0;
        for (int i = 0; i < n; i++) {
            Runnable task = ready.pollFirst();
            if (detect) {
                taskSeq++;
                taskStart = System.nanoTime();
                task.run();
                taskStart = 0;
            } else {
                task.run();
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
        ScheduledTimer t = timers.peekLive();
        if (t == null) {
            return;
        }
        double now = clock.now();
        // Only timers that existed when the pass began: a callback that keeps
        // re-arming a zero-delay timer must not starve the ready queue (on a
        // virtual clock its deadline equals "now" for ever).
        long limit = timerSeq;
        while ((t = timers.peekLive()) != null && t.deadline <= now && t.seq < limit) {
            timers.poll();
            if (t.owner != null && t.owner.isDead()) {
                t.markDropped();
                continue;
            }
            t.markCalled();
            dispatch(t.callback);
        }
    }

    private void dispatch(Runnable cb) {
        boolean outer = inCallback;
        inCallback = true;
        boolean detect = blockingNanos > 0 && !outer;
        if (detect) {
            taskSeq++;
            taskStart = System.nanoTime();
        }
        try {
            cb.run();
        } catch (Throwable e) {
            reportFailure("hub callback " + cb, e);
        } finally {
            inCallback = outer;
            if (detect) {
                taskStart = 0;
            }
        }
    }

    private void idle(Greenlet waiter) {
        ScheduledTimer next = timers.peekLive();
        if (waiter != null && next == null && listeners.count() == 0 && liveGreen == parkedGreen
                && foreignWaits == 0 && inbox.isEmpty()) {
            throw new LoopExit("nothing can ever wake " + waiter + " waiting in " + HubDump.awaited(waiter.thread)
                    + ": no runnable green thread, timer, I/O listener or outside wait is left on the hub");
        }
        if (clock instanceof VirtualClock vc) {
            if (listeners.count() > 0) {
                listeners.poll(0);
            }
            if (!ready.isEmpty() || !inbox.isEmpty()) {
                return;
            }
            if (next != null) {
                vc.advanceTo(next.deadline);
                return;
            }
            sleep(-1);
            return;
        }
        long nanos = next == null ? -1 : Math.max(0, (long) ((next.deadline - clock.now()) * 1e9));
        if (nanos != 0) {
            sleep(nanos);
        }
    }

    /** Sleeps until woken, an I/O event, or {@code nanos} (negative: no limit). */
    private void sleep(long nanos) {
        boolean io = listeners.count() > 0;
        // An interrupt of the carrier belongs to the user's code: keep it for
        // after the wait, but park with the flag clear, or every park would
        // return at once (a spin). Re-setting it here would spin too: an
        // interrupt also makes the next park return.
        if (Thread.interrupted()) {
            carrierInterrupted = true;
        }
        sleepState = io ? SELECTING : PARKED;
        try {
            if (!inbox.isEmpty() || aborted || main.woken()) {
                return;
            }
            if (io) {
                listeners.poll(nanos < 0 ? -1 : Math.max(1, (nanos + 999_999) / 1_000_000));
            } else if (nanos < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            sleepState = AWAKE;
        }
    }

    /** Gives the carrier back an interrupt that arrived while the loop slept. */
    private void restoreInterrupt() {
        if (carrierInterrupted) {
            carrierInterrupted = false;
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public String toString() {
        Thread o = owner;
        return "Hub[" + (o == null ? "unbound" : o.getName()) + ", " + clock + "]";
    }
}

package io.jeventlet;

import io.jeventlet.hubs.Greenlet;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * eventlet's tpool: runs a function that would pin a carrier (native code,
 * file I/O, a CPU-heavy step) on a pool of OS threads while the calling green
 * thread waits cooperatively. Thread-safe.
 *
 * <pre>{@code
 * byte[] data = Tpool.execute(() -> Files.readAllBytes(path));   // file I/O off the hub
 * }</pre>
 *
 * <p>The pool has {@code jeventlet.tpool.size} threads (system property,
 * default 20), created on first use, daemon; a service that reads the size
 * from its configuration applies it with {@link #setNumThreads(int)}. Requests queue without bound,
 * as eventlet's do. While a call is out, the caller's hub knows a wake-up
 * will come from outside, so it never raises {@code LoopExit} for it.
 *
 * <p>Nested calls: a function already running on one of the pool's threads
 * that calls {@code execute} again runs the inner function inline, on its own
 * thread (eventlet does the same). Queuing it instead could deadlock: once
 * every pool thread waits for an inner call, no thread is left to run one.
 *
 * <p>Overview: a {@code Call} is the only state shared between the caller and
 * the pool thread; it always ends with {@code done} set and the caller woken,
 * whatever the function throws, and the caller loops over {@code done}, so no
 * wake-up is lost. A submission the executor refuses fails the caller at once.
 */
public final class Tpool {
    static final int DEFAULT_SIZE = 20;
    /** Set on the pool's own OS threads: an execute from there runs inline. */
    private static final ThreadLocal<Boolean> ON_POOL_THREAD = new ThreadLocal<>();

    private Tpool() {}

    private static final class Pool {
        static final ThreadPoolExecutor EXECUTOR = create();

        private static ThreadPoolExecutor create() {
            int size = size(System.getProperty("jeventlet.tpool.size"));
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor e = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> Thread.ofPlatform().daemon().name("jeventlet-tpool-" + n.incrementAndGet()).unstarted(() -> {
                        ON_POOL_THREAD.set(Boolean.TRUE);
                        r.run();
                    }));
            e.allowCoreThreadTimeOut(true);
            return e;
        }
    }

    /**
     * eventlet's {@code tpool.set_num_threads}: sets how many OS threads the
     * pool may run at once, effective immediately (calls already running
     * finish; queued ones start as threads free up). Thread-safe.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setNumThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Tpool thread count = " + n + " is not valid: must be >= 1");
        }
        ThreadPoolExecutor e = Pool.EXECUTOR;
        synchronized (e) {
            // The core size may never exceed the maximum: grow the maximum first, shrink it last.
            if (n > e.getMaximumPoolSize()) {
                e.setMaximumPoolSize(n);
                e.setCorePoolSize(n);
            } else {
                e.setCorePoolSize(n);
                e.setMaximumPoolSize(n);
            }
        }
    }

    /** The pool's current thread limit (tests). */
    static int numThreads() {
        return Pool.EXECUTOR.getMaximumPoolSize();
    }

    static int size(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SIZE;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jeventlet.tpool.size = '" + value + "' is not valid: must be an integer >= 1");
        }
        if (n < 1) {
            throw new IllegalArgumentException("jeventlet.tpool.size = " + n + " is not valid: must be >= 1");
        }
        return n;
    }

    private static final class Call<T> implements Runnable {
        final Callable<T> fn;
        final Greenlet caller;
        volatile boolean done;
        T result;
        Throwable error;

        Call(Callable<T> fn, Greenlet caller) {
            this.fn = fn;
            this.caller = caller;
        }

        @Override
        public void run() {
            try {
                result = fn.call();
            } catch (Throwable t) {
                error = t;
            } finally {
                done = true;
                caller.wake();
            }
        }
    }

    /**
     * Runs {@code fn} on an OS thread of the pool and returns its result; its
     * exception comes back to the caller (checked ones wrapped in
     * {@link GreenThreadException}). A kill or Timeout ends the wait at once;
     * the function itself runs to its end. Called from a function that already
     * runs on a pool thread, it runs {@code fn} inline.
     */
    public static <T> T execute(Callable<T> fn) {
        if (fn == null) {
            throw new NullPointerException("fn");
        }
        if (ON_POOL_THREAD.get() != null) {
            return runInline(fn);
        }
        Call<T> call = new Call<>(fn, Greenlet.current());
        Pool.EXECUTOR.execute(call);
        call.caller.waitForForeign(() -> call.done);
        if (call.error != null) {
            throw GreenThreadException.rethrow(call.error);
        }
        return call.result;
    }

    private static <T> T runInline(Callable<T> fn) {
        try {
            return fn.call();
        } catch (Exception e) {
            throw GreenThreadException.rethrow(e);
        }
    }
}

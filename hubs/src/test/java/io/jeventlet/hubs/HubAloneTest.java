package io.jeventlet.hubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hubs module on its own, with no layer above it on the class path (no
 * {@link HubExtension} registered): green threads made with
 * {@link Hub#newGreenlet}, timers on a virtual clock, a trampoline's timeout
 * and a blocking call from a callback.
 */
class HubAloneTest {
    /** Runs {@code body} as a green thread of a new virtual-clock hub on its own OS thread, and returns its result. */
    private static <T> T onVirtualHub(Callable<T> body) throws Exception {
        Hub hub = Hub.withClock(HubClock.virtual());
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread carrier = Thread.ofPlatform().name("hub-alone").start(hub::run);
        hub.callThreadsafe(() -> hub.newGreenlet(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }).start());
        try {
            return result.get(30, TimeUnit.SECONDS);
        } finally {
            hub.abort();
            carrier.join(10_000);
        }
    }

    /** A green thread parked until a deadline resumes when the virtual clock jumps there, with no real wait. */
    @Test
    void greenThreadSleepsOnTheVirtualClock() throws Exception {
        double woke = onVirtualHub(() -> {
            Greenlet me = Greenlet.current();
            double deadline = me.hub().clock() + 3600;
            while (me.parkUntil(deadline)) {
                // spurious wake-up: park on to the deadline
            }
            return me.hub().clock();
        });
        assertEquals(3600.0, woke);
    }

    /** A timer's callback wakes a parked green thread; the wake-up is seen through the park loop. */
    @Test
    void timerWakesAParkedGreenThread() throws Exception {
        String got = onVirtualHub(() -> {
            Greenlet me = Greenlet.current();
            String[] box = new String[1];
            me.hub().scheduleCallGlobal(5, () -> {
                box[0] = "fired";
                me.wake();
            });
            while (box[0] == null) {
                me.park();
            }
            return box[0] + " at " + me.hub().clock();
        });
        assertEquals("fired at 5.0", got);
    }

    /** Without a layer registered, a trampoline whose limit passes throws a plain Error naming the limit. */
    @Test
    void trampolineTimeoutWithoutALayerIsAPlainError() throws Exception {
        Throwable t = onVirtualHub(() -> {
            Pipe pipe = Pipe.open();
            try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
                source.configureBlocking(false);
                Hub.get().trampoline(source, true, false, 2.5);
                return null;
            } catch (Error e) {
                return e;
            }
        });
        assertSame(Error.class, t.getClass());
        assertTrue(t.getMessage().contains("2.5 seconds"), t.getMessage());
    }

    /** The first extension that makes a timeout error wins; one that returns null passes. */
    @Test
    void extensionMakesTheTimeoutError() {
        Error mine = new AssertionError("mine");
        HubExtension silent = new HubExtension() {};
        HubExtension maker = new HubExtension() {
            @Override
            public Error timeout(double seconds) {
                return mine;
            }
        };
        assertSame(mine, HubExtensions.timeout(List.of(silent, maker), 1));
        assertSame(Error.class, HubExtensions.timeout(List.of(silent), 1).getClass());
    }

    /** Parking inside a hub callback throws BlockingOperationException, an IllegalStateException, and the hub goes on. */
    @Test
    void blockingInACallbackThrowsBlockingOperationException() throws Exception {
        Throwable t = onVirtualHub(() -> {
            Greenlet me = Greenlet.current();
            Throwable[] box = new Throwable[1];
            me.hub().scheduleCallGlobal(1, () -> {
                try {
                    Greenlet.current().park();
                } catch (Throwable e) {
                    box[0] = e;
                }
                me.wake();
            });
            while (box[0] == null) {
                me.park();
            }
            return box[0];
        });
        assertInstanceOf(BlockingOperationException.class, t);
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().contains("do not call blocking functions"), t.getMessage());
    }

    /** A green thread that nothing can wake gets LoopExit through its waiting main greenlet instead of a hang. */
    @Test
    void waitNothingCanEndThrowsLoopExit() throws Exception {
        Hub hub = Hub.get();
        Greenlet stuck = hub.newGreenlet(() -> {
            Greenlet me = Greenlet.current();
            try {
                while (true) {
                    me.park();
                }
            } catch (StopIt expected) {
                // the test's way out
            }
        });
        stuck.start();
        Greenlet main = Greenlet.current();
        LoopExit e = org.junit.jupiter.api.Assertions.assertThrows(LoopExit.class, main::park);
        assertTrue(e.getMessage().contains("nothing can ever wake"), e.getMessage());
        assertFalse(stuck.isDead());
        stuck.throwIn(new StopIt());
        main.yieldNow();
        assertTrue(stuck.isDead());
    }

    private static final class StopIt extends Error {
        private static final long serialVersionUID = 1L;
    }
}

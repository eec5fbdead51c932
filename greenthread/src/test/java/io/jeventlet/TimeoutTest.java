package io.jeventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timeout: eventlet's timeout_test behaviours, on a virtual clock. */
class TimeoutTest {
    /** A Timeout that passes is thrown at the blocking point, as itself. */
    @Test
    void firesAtBlockingPoint() throws Exception {
        VirtualHubs.run(() -> {
            Timeout t = new Timeout(1);
            try {
                Eventlet.sleep(5);
                throw new AssertionError("not reached");
            } catch (Timeout e) {
                assertSame(t, e);
                assertFalse(t.pending());
            }
            return null;
        });
    }

    /** A cancelled Timeout is never thrown. */
    @Test
    void cancelledNeverFires() throws Exception {
        String r = VirtualHubs.run(() -> {
            Timeout t = new Timeout(1);
            assertTrue(t.pending());
            t.cancel();
            assertFalse(t.pending());
            Eventlet.sleep(2);
            return "slept";
        });
        assertEquals("slept", r);
    }

    /** new Timeout(s, exc) throws exc instead of itself. */
    @Test
    void throwsGivenException() throws Exception {
        VirtualHubs.run(() -> {
            IllegalStateException mine = new IllegalStateException("mine");
            Timeout t = new Timeout(1, mine);
            try {
                Eventlet.sleep(5);
            } catch (IllegalStateException e) {
                assertSame(mine, e);
            } finally {
                t.cancel();
            }
            return null;
        });
    }

    /** withTimeout returns the function's value when it is quick enough. */
    @Test
    void withTimeoutReturnsValue() throws Exception {
        assertEquals("v", VirtualHubs.run(() -> Timeout.withTimeout(2, () -> {
            Eventlet.sleep(1);
            return "v";
        })));
    }

    /** withTimeout throws the Timeout when it passes, and the timeoutValue overload returns that value. */
    @Test
    void withTimeoutExpires() throws Exception {
        VirtualHubs.run(() -> {
            assertThrows(Timeout.class, () -> Timeout.withTimeout(1, () -> {
                Eventlet.sleep(2);
                return "late";
            }));
            assertEquals("fallback", Timeout.withTimeout(1, () -> {
                Eventlet.sleep(2);
                return "late";
            }, "fallback"));
            return null;
        });
    }

    /** A checked exception from withTimeout's function comes back wrapped in GreenThreadException. */
    @Test
    void withTimeoutWrapsChecked() throws Exception {
        VirtualHubs.run(() -> {
            IOException io = new IOException("x");
            GreenThreadException e = assertThrows(GreenThreadException.class, () -> Timeout.withTimeout(1, () -> {
                throw io;
            }));
            assertSame(io, e.getCause());
            return null;
        });
    }

    /** catch (Exception e) cannot swallow a Timeout. */
    @Test
    void notAnException() throws Exception {
        List<String> out = new ArrayList<>();
        VirtualHubs.run(() -> {
            Timeout t = new Timeout(1);
            try {
                try {
                    Eventlet.sleep(2);
                } catch (Exception e) {
                    out.add("swallowed");
                }
            } catch (Timeout e) {
                out.add("timeout");
            } finally {
                t.cancel();
            }
            return null;
        });
        assertEquals(List.of("timeout"), out);
    }

    /** Of two nested timeouts, the shorter fires; the outer one is not thrown after it is cancelled. */
    @Test
    void nestedTimeouts() throws Exception {
        VirtualHubs.run(() -> {
            Timeout outer = new Timeout(3);
            try {
                Timeout inner = new Timeout(1);
                try {
                    Eventlet.sleep(2);
                } catch (Timeout e) {
                    assertSame(inner, e);
                } finally {
                    inner.cancel();
                }
                assertTrue(outer.pending());
            } finally {
                outer.cancel();
            }
            Eventlet.sleep(5);
            return null;
        });
    }

    /** A Timeout created on a green thread reaches it while it awaits another green thread. */
    @Test
    void timeoutInterruptsAwait() throws Exception {
        VirtualHubs.run(() -> {
            GreenThread<Void> slow = Eventlet.spawn(() -> Eventlet.sleep(100));
            assertThrows(Timeout.class, () -> Timeout.withTimeout(1, slow::await));
            assertFalse(slow.dead());
            slow.kill();
            return null;
        });
    }

    /** An infinite Timeout never fires; a negative one is rejected. */
    @Test
    void infiniteAndNegative() throws Exception {
        VirtualHubs.run(() -> {
            Timeout t = new Timeout(Double.POSITIVE_INFINITY);
            assertFalse(t.pending());
            Eventlet.sleep(1000);
            assertThrows(IllegalArgumentException.class, () -> new Timeout(-1));
            return null;
        });
    }
}

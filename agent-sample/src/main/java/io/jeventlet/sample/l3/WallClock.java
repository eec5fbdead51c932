package io.jeventlet.sample.l3;

import io.jeventlet.hubs.Hub;
import java.time.Instant;

/**
 * Where the plugin's {@code updated_at} and the agent's "applied at" come
 * from, so that the change-to-applied latency is measured on one clock: the
 * system's in separate processes on one host, the hub's in one process on
 * a virtual clock (where it is the only clock that moves).
 *
 * <p>Thread rule: {@link #SYSTEM} is thread-safe; {@link #of(Hub)} reads its
 * hub's clock, which is safe from that hub.
 */
@FunctionalInterface
public interface WallClock {

    /** The system clock. */
    WallClock SYSTEM = Instant::now;

    /** The time now. */
    Instant now();

    /** The hub's clock as an instant: its seconds after the epoch, to the millisecond. */
    static WallClock of(Hub hub) {
        return () -> Instant.ofEpochMilli(Math.round(hub.clock() * 1000));
    }
}

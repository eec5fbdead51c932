package io.jeventlet.service;

import io.jeventlet.GreenPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import java.util.List;

/**
 * A named {@link GreenPool} on Micrometer's global registry:
 * {@code jeventlet_greenpool_running{pool}}, {@code jeventlet_greenpool_free{pool}}
 * (negative after a resize below the running count) and
 * {@code jeventlet_greenpool_waiting{pool}} (spawners blocked for a slot) —
 * for the pools a daemon names, e.g. the L3 agent's router-processing pool.
 * The gauges read the pool's counters at scrape time, from the scraping
 * thread: a value may be a moment old, and nothing is added to the pool's
 * own path.
 *
 * <p>Thread-safe: bind and close from any thread; close once.
 */
public final class GreenPoolMetrics implements AutoCloseable {
    private final List<Meter> meters;

    private GreenPoolMetrics(List<Meter> meters) {
        this.meters = meters;
    }

    /** Shows {@code pool} as {@code pool=name} until {@link #close()}. */
    public static GreenPoolMetrics bind(String name, GreenPool pool) {
        return new GreenPoolMetrics(List.of(
                Gauge.builder("jeventlet.greenpool.running", pool, GreenPool::running)
                        .description("Green threads of the pool running a task").tag("pool", name)
                        .register(OpsMetrics.registry()),
                Gauge.builder("jeventlet.greenpool.free", pool, GreenPool::free)
                        .description("Free slots of the pool").tag("pool", name).register(OpsMetrics.registry()),
                Gauge.builder("jeventlet.greenpool.waiting", pool, GreenPool::waiting)
                        .description("Spawners waiting for a slot of the pool").tag("pool", name)
                        .register(OpsMetrics.registry())));
    }

    @Override
    public void close() {
        for (Meter m : meters) {
            OpsMetrics.registry().remove(m);
        }
    }
}

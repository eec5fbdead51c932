package io.jeventlet.service;

import io.jeventlet.hubs.Hub;
import io.jeventlet.hubs.HubStats;
import io.jeventlet.hubs.Timer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds hubs to Micrometer and watches that they are responsive: the
 * service layer's side of {@link Hub#stats()} (the hubs module itself knows
 * nothing of metrics). For each attached hub, tagged {@code hub=<name>}:
 * <ul>
 * <li>{@code jeventlet_hub_green_threads}, {@code jeventlet_hub_ready_queue},
 * {@code jeventlet_hub_timers} — gauges read from the snapshot at scrape;
 * <li>{@code jeventlet_hub_blocked_total} — the blocking detector's reports;
 * <li>{@code jeventlet_hub_lag_seconds{kind}} — a histogram of
 * {@code kind="ready"}: how long a task handed to the hub waits until it runs
 * (a probe posted with {@code callThreadsafe}), and {@code kind="timer"}: how
 * late a timer fires past its deadline (a short probe timer).
 * </ul>
 *
 * <p>Why probes instead of timing every switch: a probe every
 * {@link #PROBE_PERIOD_SECONDS} costs the hub one callback and one timer a
 * second, and nothing on the switch path, which another part of the project
 * keeps as cheap as it can be. What the probe measures is what an operator
 * means by lag: how long work waits for the hub.
 *
 * <p>Responsiveness ({@link #responsive}): a hub is unresponsive while its
 * outstanding probe has waited longer than the hub's blocking-detection
 * limit (or the caller's default when detection is off) — a hub held by a
 * green thread that does not yield answers no probe. systemd's watchdog ping
 * is sent only while every attached hub is responsive.
 *
 * <p>Thread-safe: attach/detach and the probe loop synchronize on the
 * monitor; a probe runs on its hub and touches only its own entry's
 * volatile fields. One monitor thread per JVM, a daemon, started on the
 * first attach.
 */
public final class HubMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(HubMonitor.class);
    /** Seconds between two probes of a hub. */
    static final double PROBE_PERIOD_SECONDS = 1.0;
    /** Delay of the timer probe: short, so it rarely outlives a detach. */
    private static final double TIMER_PROBE_SECONDS = 0.005;
    private static final Duration[] LAG_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    private static final HubMonitor GLOBAL = new HubMonitor(OpsMetrics.registry());

    private final MeterRegistry registry;
    private final Map<Hub, Entry> hubs = new LinkedHashMap<>();
    private Thread thread;

    /** One attached hub: its meters and its probe. */
    private static final class Entry {
        final Hub hub;
        final String name;
        final List<Meter> meters = new ArrayList<>();
        io.micrometer.core.instrument.Timer readyLag;
        io.micrometer.core.instrument.Timer timerLag;
        /** System.nanoTime when the outstanding probe was posted; 0 when none is outstanding. */
        volatile long probePosted;
        /** The timer probe pending on the hub, or null; touched on the hub only. */
        Timer timerProbe;
        volatile boolean attached = true;

        Entry(Hub hub, String name) {
            this.hub = hub;
            this.name = name;
        }
    }

    HubMonitor(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The monitor binding to Micrometer's global registry, which the service launcher uses. */
    public static HubMonitor global() {
        return GLOBAL;
    }

    /** Binds {@code hub}'s series under {@code hub=name} and starts probing it. Idempotent per hub. */
    public synchronized void attach(Hub hub, String name) {
        if (hubs.containsKey(hub)) {
            return;
        }
        Entry e = new Entry(hub, name);
        e.meters.add(Gauge.builder("jeventlet.hub.green.threads", hub, h -> h.stats().greenThreads())
                .description("Live green threads of the hub").tag("hub", name).register(registry));
        e.meters.add(Gauge.builder("jeventlet.hub.ready.queue", hub, h -> h.stats().readyQueue())
                .description("Tasks waiting for the hub to run them").tag("hub", name).register(registry));
        e.meters.add(Gauge.builder("jeventlet.hub.timers", hub, h -> h.stats().timers())
                .description("Timers that will still fire").tag("hub", name).register(registry));
        e.meters.add(FunctionCounter.builder("jeventlet.hub.blocked", hub, h -> h.stats().blockedReports())
                .description("Times the blocking detector reported the hub held without yielding")
                .tag("hub", name).register(registry));
        e.readyLag = lag(name, "ready");
        e.timerLag = lag(name, "timer");
        e.meters.add(e.readyLag);
        e.meters.add(e.timerLag);
        hubs.put(hub, e);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("jeventlet-hub-monitor").start(this::loop);
        }
    }

    /**
     * Stops probing {@code hub} and removes its series. Called on the hub
     * itself, it also cancels a pending probe timer, so the hub is left with
     * nothing of the monitor's.
     */
    public void detach(Hub hub) {
        Entry e;
        synchronized (this) {
            e = hubs.remove(hub);
        }
        if (e == null) {
            return;
        }
        e.attached = false;
        for (Meter m : e.meters) {
            registry.remove(m);
        }
        try {
            hub.checkConfined();
            cancelTimerProbe(e);
        } catch (IllegalStateException notOnHub) {
            hub.callThreadsafe(() -> cancelTimerProbe(e));
        }
    }

    /**
     * True when every attached hub answers probes: none has a probe waiting
     * longer than its blocking-detection limit, or {@code defaultLimitSeconds}
     * for a hub without detection.
     */
    public synchronized boolean responsive(double defaultLimitSeconds) {
        long now = System.nanoTime();
        for (Entry e : hubs.values()) {
            long posted = e.probePosted;
            HubStats s = e.hub.stats();
            double limit = s.blockingLimitSeconds() > 0 ? s.blockingLimitSeconds() : defaultLimitSeconds;
            if (posted != 0 && (now - posted) / 1e9 > limit) {
                return false;
            }
        }
        return true;
    }

    /** Names of the hubs attached now (for reports and tests). */
    public synchronized List<String> attached() {
        return hubs.values().stream().map(e -> e.name).toList();
    }

    private io.micrometer.core.instrument.Timer lag(String hub, String kind) {
        return io.micrometer.core.instrument.Timer.builder("jeventlet.hub.lag")
                .description("How long work waited for the hub: ready-to-running (kind=ready) and timer lateness"
                        + " (kind=timer)")
                .tags("hub", hub, "kind", kind).serviceLevelObjectives(LAG_BUCKETS).register(registry);
    }

    private void loop() {
        long periodMs = (long) (PROBE_PERIOD_SECONDS * 1000);
        while (true) {
            List<Entry> due = new ArrayList<>();
            synchronized (this) {
                for (Entry e : hubs.values()) {
                    if (e.probePosted == 0) {
                        due.add(e);
                    }
                }
            }
            for (Entry e : due) {
                post(e);
            }
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException ie) {
                LOG.debug("hub monitor interrupted; it stops");
                return;
            }
        }
    }

    private static void post(Entry e) {
        long posted = System.nanoTime();
        e.probePosted = posted;
        e.hub.callThreadsafe(() -> {
            e.readyLag.record(System.nanoTime() - posted, TimeUnit.NANOSECONDS);
            e.probePosted = 0;
            // On a virtual clock lateness is always 0, and a probe timer would move the clock: none there.
            if (e.attached && e.timerProbe == null && !e.hub.hubClock().isVirtual()) {
                double deadline = e.hub.clock() + TIMER_PROBE_SECONDS;
                e.timerProbe = e.hub.scheduleCallGlobal(TIMER_PROBE_SECONDS, () -> {
                    e.timerProbe = null;
                    double late = Math.max(0, e.hub.clock() - deadline);
                    e.timerLag.record((long) (late * 1e9), TimeUnit.NANOSECONDS);
                });
            }
        });
    }

    private static void cancelTimerProbe(Entry e) {
        Timer t = e.timerProbe;
        if (t != null) {
            t.cancel();
            e.timerProbe = null;
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return d;
    }
}

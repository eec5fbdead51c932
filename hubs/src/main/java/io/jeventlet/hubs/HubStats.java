package io.jeventlet.hubs;

/**
 * A snapshot of one hub's counters, for monitoring: what {@link Hub#stats()}
 * returns. Taking one reads a few fields the carrier writes (racily, as
 * {@link Hub#dump()} does): the values are each recent, not one consistent
 * instant, which is what a metrics scrape needs and costs the hub nothing on
 * its switch path.
 *
 * <p>Thread-safe: an immutable value.
 *
 * @param greenThreads green threads started and not dead
 * @param readyQueue tasks waiting to run (ready continuations, callbacks and outside submissions)
 * @param timers timers that will still fire
 * @param listeners green threads waiting for a channel in {@link Hub#trampoline}
 * @param blockedReports how many times the blocking detector reported this hub held too long
 * @param blockingLimitSeconds the blocking detector's threshold, 0 when detection is off
 */
public record HubStats(int greenThreads, int readyQueue, int timers, int listeners, long blockedReports,
        double blockingLimitSeconds) {
}

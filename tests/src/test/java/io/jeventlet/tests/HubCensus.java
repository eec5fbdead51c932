package io.jeventlet.tests;

import io.jeventlet.hubs.Hub;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a hub holds, read from the first line of {@link Hub#dump()}: the live
 * green threads and the timers that will still fire. Soak tests compare a
 * census before and after a run to find leaks.
 */
record HubCensus(int greenThreads, int timers) {
    private static final Pattern GREEN = Pattern.compile("(\\d+) green threads");
    private static final Pattern TIMERS = Pattern.compile("timers=(\\d+)");

    /** The calling green thread's hub, now. */
    static HubCensus now() {
        String first = Hub.get().dump().lines().findFirst().orElse("");
        return new HubCensus(find(GREEN, first), find(TIMERS, first));
    }

    private static int find(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("Hub.dump() header has no " + p + ": " + line);
        }
        return Integer.parseInt(m.group(1));
    }
}

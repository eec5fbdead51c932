package io.jeventlet.hubs;

/**
 * Text snapshots of a hub for people: {@link Hub#dump()} and the
 * "what was awaited" part of a {@link LoopExit}. Reads hub state without
 * confinement, so a dump taken from another thread is a best-effort snapshot.
 */
final class HubDump {
    private HubDump() {}

    static String dump(Hub hub, Greenlet head, int ready, int timers, int listeners) {
        StringBuilder sb = new StringBuilder();
        sb.append(hub).append(": ").append(hub.liveGreen).append(" green threads (")
                .append(hub.parkedGreen).append(" parked in the hub), ready=").append(ready)
                .append(", timers=").append(timers).append(", listeners=").append(listeners)
                .append(", outside waits=").append(hub.foreignWaits).append('\n');
        int shown = 0;
        for (Greenlet g = head; g != null && shown < 10_000; g = g.next, shown++) {
            Thread t = g.thread;
            sb.append("  ").append(g).append(" state=").append(t.getState()).append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("      at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /** The first frame of the runtime's public API on {@code t}'s stack: what it waits in. */
    static String awaited(Thread t) {
        if (t == null) {
            return "an unknown wait";
        }
        StackTraceElement[] stack = t == Thread.currentThread() ? new Throwable().getStackTrace() : t.getStackTrace();
        StackTraceElement found = null;
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("io.jeventlet.") && !c.startsWith("io.jeventlet.hubs.Hub")
                    && !c.startsWith("io.jeventlet.hubs.Greenlet")) {
                found = e;
                if (!c.startsWith("io.jeventlet.hubs.")) {
                    // Keep the outermost runtime frame: Event.await rather than its helpers.
                    continue;
                }
            } else if (found != null) {
                break;
            }
        }
        return found == null ? "a blocking call" : found.getClassName().substring(found.getClassName().lastIndexOf('.') + 1)
                + "." + found.getMethodName();
    }
}

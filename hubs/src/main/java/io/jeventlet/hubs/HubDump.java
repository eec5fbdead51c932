package io.jeventlet.hubs;

/**
 * Text snapshots of a hub for people: {@link Hub#dump()} and the
 * "what was awaited" part of a {@link LoopExit}. Reads hub state without
 * confinement, so a dump taken from another thread is a best-effort snapshot.
 */
final class HubDump {
    private HubDump() {}

    static String dump(Hub hub, LiveGreenThreads green, int ready, int timers, int listeners) {
        StringBuilder sb = new StringBuilder();
        sb.append(hub).append(": ").append(green.live).append(" green threads (")
                .append(green.parked).append(" parked in the hub), ready=").append(ready)
                .append(", timers=").append(timers).append(", listeners=").append(listeners)
                .append(", outside waits=").append(green.foreign).append('\n');
        for (Greenlet g : green.snapshot(10_000)) {
            Thread t = g.thread;
            sb.append("  ").append(g).append(" state=").append(t.getState()).append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("      at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * What {@code t} waits in: the outermost frame of the innermost run of
     * blocking-function frames on its stack ({@link Hub#trampoline}, and those of the
     * layers registered as {@link HubExtension}s), so {@code Event.await}
     * rather than the helpers it calls.
     */
    static String awaited(Thread t) {
        if (t == null) {
            return "an unknown wait";
        }
        StackTraceElement[] stack = t == Thread.currentThread() ? new Throwable().getStackTrace() : t.getStackTrace();
        StackTraceElement found = null;
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            boolean trampoline = c.equals(Hub.class.getName()) && e.getMethodName().equals("trampoline");
            if (!trampoline && c.startsWith("io.jeventlet.hubs.")) {
                // The loop, the greenlet's park and their helpers: how a wait is carried out, never what is awaited.
                continue;
            }
            if (trampoline || HubExtensions.isBlockingFunction(c)) {
                found = e;
            } else if (found != null) {
                break;
            }
        }
        return found == null ? "a blocking call" : found.getClassName().substring(found.getClassName().lastIndexOf('.') + 1)
                + "." + found.getMethodName();
    }
}

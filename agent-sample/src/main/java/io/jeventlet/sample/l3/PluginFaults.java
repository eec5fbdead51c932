package io.jeventlet.sample.l3;

/**
 * How the plugin simulator misbehaves on purpose, to show the agent coping.
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param dropReplyPercent percent of calls (0-100) whose reply is held back for {@code replyHold}
 *        seconds, so that the caller's timeout expires first: a lost reply
 * @param replyHold seconds a dropped reply is held (longer than the callers' timeout)
 * @param replyDelay seconds every reply is delayed
 * @param silentAfter seconds after start at which the plugin goes silent (0: never)
 * @param silentFor seconds the silence lasts: no call is answered and the workload pauses meanwhile (its
 *        liveness check goes on, so agents whose reports it could not answer are declared down)
 * @param malformedPercent percent of routers (0-100) sent in {@code sync_routers} replies with a broken field
 */
public record PluginFaults(double dropReplyPercent, double replyHold, double replyDelay, double silentAfter,
        double silentFor, double malformedPercent) {

    /** No faults. */
    public static final PluginFaults NONE = new PluginFaults(0, 0, 0, 0, 0, 0);

    /** Checks the ranges; the message names the field, its value and the rule. */
    public PluginFaults {
        percent("drop_reply_percent", dropReplyPercent);
        percent("malformed_router_percent", malformedPercent);
        seconds("reply_hold", replyHold);
        seconds("reply_delay", replyDelay);
        seconds("silent_after", silentAfter);
        seconds("silent_for", silentFor);
    }

    /** True if any fault is on. */
    public boolean any() {
        return dropReplyPercent > 0 || replyDelay > 0 || silentFor > 0 || malformedPercent > 0;
    }

    private static void percent(String name, double v) {
        if (!(v >= 0 && v <= 100)) {
            throw new IllegalArgumentException(name + " = " + v + " is not valid: must be between 0 and 100");
        }
    }

    private static void seconds(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " = " + v + " is not valid: must be >= 0 seconds and finite");
        }
    }
}

package io.jeventlet.rpc;

import io.jeventlet.hubs.Greenlet;
import io.jeventlet.hubs.Hub;

/**
 * One call waiting for its reply: oslo's per-{@code msg_id} reply queue and
 * its {@code ReplyWaiter.wait} loop with the call-monitor timer.
 *
 * <p>Thread rule: created and awaited by the calling green thread; every
 * other method is hub-confined to the caller's hub — {@link ReplyWaiters}
 * reaches it only through {@code Hub.callThreadsafe}, so replies arrive in
 * the order the driver handed them over and the fields need no locks.
 *
 * <p>Overview: the caller parks until the earlier of its overall deadline
 * and, with a call-monitor timeout, {@code lastHeard + callMonitorTimeout};
 * a heartbeat moves {@code lastHeard} forward without waking the caller (its
 * timer fires, it sees the later limit and parks again). A final reply or a
 * delivery failure sets {@code done} and wakes it; because the condition is
 * re-checked after every wake-up, a wake-up that races a timer is never lost.
 * Both limits are measured on the caller's hub clock, so a virtual clock
 * governs them.
 */
final class PendingCall {
    final String msgId;
    final Hub hub;
    private final Greenlet waiter;
    private boolean done;
    private Object result;
    private Failure failure;
    private MessagingException error;
    private double lastHeard;
    private int heartbeats;

    PendingCall(String msgId) {
        this.msgId = msgId;
        this.waiter = Greenlet.current();
        this.hub = waiter.hub();
    }

    /** A reply or heartbeat for this call arrived (hub-confined). */
    void deliver(ReplyMessage reply) {
        if (done) {
            return;
        }
        if (reply.result() != null || reply.failure() != null) {
            result = reply.result();
            failure = reply.failure();
        }
        if (reply.ending()) {
            done = true;
            waiter.wake();
        } else if (reply.isHeartbeat()) {
            lastHeard = hub.clock();
            heartbeats++;
        }
    }

    /** The call can never be answered (hub-confined). */
    void fail(MessagingException e) {
        if (!done) {
            error = e;
            done = true;
            waiter.wake();
        }
    }

    /** Heartbeats received so far (hub-confined). */
    int heartbeats() {
        return heartbeats;
    }

    /**
     * Waits for the final reply; returns its result.
     *
     * @param timeout            seconds in all; {@code POSITIVE_INFINITY} for no limit
     * @param callMonitorTimeout seconds of server silence tolerated; 0 for no monitor
     * @param what               the call, for error messages
     * @param errors             turns a failure into the exception thrown
     * @throws MessagingTimeout when a limit passes first
     * @throws RemoteError      when the server's method failed (or the class
     *         {@code rpc.allowed_remote_exmods} lets {@code errors} rebuild)
     */
    Object await(double timeout, double callMonitorTimeout, String what, RemoteErrors errors) {
        double start = hub.clock();
        lastHeard = start;
        double deadline = start + timeout;
        while (!done) {
            double limit = deadline;
            if (callMonitorTimeout > 0) {
                limit = Math.min(limit, lastHeard + callMonitorTimeout);
            }
            if (limit == Double.POSITIVE_INFINITY) {
                // Only the driver (often another OS thread) can end this wait.
                waiter.parkForeign();
            } else if (!waiter.parkUntil(limit) && !done) {
                double now = hub.clock();
                if (now >= deadline) {
                    throw new MessagingTimeout("Timed out waiting for a reply to message ID " + msgId + " (" + what
                            + ") after " + timeout + " s");
                }
                if (callMonitorTimeout > 0 && now >= lastHeard + callMonitorTimeout) {
                    throw new MessagingTimeout("Timed out waiting for a reply to message ID " + msgId + " (" + what
                            + "): the server sent no reply or heartbeat for " + callMonitorTimeout
                            + " s (call_monitor_timeout)");
                }
            }
        }
        if (error != null) {
            throw error;
        }
        if (failure != null) {
            throw errors.toException(failure);
        }
        return result;
    }
}

package io.jeventlet.rpc.zmq;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * Finds the connections a proxy's ROUTER refused for presenting an identity
 * a live connection holds, so that each refusal is logged, counted and the
 * connection closed. Confined to the proxy's socket owner (JeroMQ's socket
 * thread rule).
 *
 * <p>Why this reaches into JeroMQ: with ROUTER_HANDOVER off, JeroMQ 0.6.0
 * (like libzmq) refuses such a connection silently — it parks the
 * connection's pipe among the router's anonymous pipes, where its messages
 * are never read, and reports nothing. The field is read reflectively and
 * only here; when a JeroMQ version lacks it, refusals still happen (JeroMQ's)
 * but are not counted, which is logged once at start.
 *
 * <p>Telling a refused pipe from one still in its handshake: a connection's
 * pipe is made at the end of the ZMTP greeting and is anonymous until its
 * security handshake (for CurveZMQ a key agreement and a ZAP round trip, which
 * a loaded machine can stretch past a second) hands over the peer's identity.
 * The proxy's handshake timer (ZMQ_HANDSHAKE_IVL) closes a connection whose
 * handshake takes longer, so a pipe anonymous for longer than that limit
 * finished its handshake and was refused. Each is counted once, then
 * terminated, which closes the TCP connection.
 *
 * <p>Nothing here reads or probes a refused pipe: once the reader of a pipe
 * has found it empty, the router takes the next message that arrives as a
 * routing id to try again, so a refused connection would get in under the
 * first frame of its next message (measured: a takeover connection became
 * peer "2" and registered a server).
 */
final class RefusedIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(RefusedIdentities.class);

    private final Set<zmq.pipe.Pipe> anonymous;
    private final double handshakeLimit;
    /** Anonymous pipes of the last sweep, with when they were first seen anonymous. */
    private Map<zmq.pipe.Pipe, Double> firstSeen = new IdentityHashMap<>();
    /** Pipes terminated here and not yet gone from the router (counted already). */
    private Set<zmq.pipe.Pipe> terminated = identitySet();

    /** {@code handshakeLimit}: the router's ZMQ_HANDSHAKE_IVL, in seconds. */
    @SuppressWarnings("unchecked")
    RefusedIdentities(ZMQ.Socket router, double handshakeLimit) {
        this.handshakeLimit = handshakeLimit;
        Set<zmq.pipe.Pipe> found = null;
        try {
            Field f = zmq.socket.reqrep.Router.class.getDeclaredField("anonymousPipes");
            f.setAccessible(true);
            found = (Set<zmq.pipe.Pipe>) f.get(router.base());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("zmq proxy: connections refused for presenting a live identity will not be counted"
                    + " (this JeroMQ has no Router.anonymousPipes: {})", e.toString());
        }
        this.anonymous = found;
    }

    /** Closes the connections found refused since the last sweep ({@code now}: monotonic seconds); returns how many. */
    int sweep(double now) {
        if (anonymous == null || (anonymous.isEmpty() && firstSeen.isEmpty() && terminated.isEmpty())) {
            return 0;
        }
        int refused = 0;
        Map<zmq.pipe.Pipe, Double> seen = new IdentityHashMap<>();
        Set<zmq.pipe.Pipe> ending = identitySet();
        for (zmq.pipe.Pipe p : List.copyOf(anonymous)) {
            if (terminated.contains(p)) {
                ending.add(p);
                continue;
            }
            double since = firstSeen.getOrDefault(p, now);
            if (now - since > handshakeLimit + 0.5) {
                refused++;
                p.terminate(false);
                ending.add(p);
            } else {
                seen.put(p, since);
            }
        }
        firstSeen = seen;
        terminated = ending;
        return refused;
    }

    private static Set<zmq.pipe.Pipe> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}

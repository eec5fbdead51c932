package io.jeventlet.rpc.zmq;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
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
 * are never read, and reports nothing. A pipe still anonymous at two
 * successive sweeps (a legitimate one is identified as soon as its routing
 * id arrives, microseconds after the handshake) is such a refusal: it is
 * counted and terminated, which closes the TCP connection. The field is read
 * reflectively and only here; when a JeroMQ version lacks it, refusals still
 * happen (JeroMQ's) but are not counted, which is logged once at start.
 */
final class RefusedIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(RefusedIdentities.class);

    private final Set<zmq.pipe.Pipe> anonymous;
    private Set<zmq.pipe.Pipe> suspects = Collections.newSetFromMap(new IdentityHashMap<>());

    @SuppressWarnings("unchecked")
    RefusedIdentities(ZMQ.Socket router) {
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

    /** Closes the connections refused since the sweep before last; returns how many. */
    int sweep() {
        if (anonymous == null || (anonymous.isEmpty() && suspects.isEmpty())) {
            return 0;
        }
        int refused = 0;
        Set<zmq.pipe.Pipe> next = Collections.newSetFromMap(new IdentityHashMap<>());
        for (zmq.pipe.Pipe p : List.copyOf(anonymous)) {
            if (suspects.contains(p)) {
                refused++;
                p.terminate(false);
            } else {
                next.add(p);
            }
        }
        suspects = next;
        return refused;
    }
}

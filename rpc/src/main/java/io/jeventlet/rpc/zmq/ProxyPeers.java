package io.jeventlet.rpc.zmq;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who is who at a proxy: every connection, keyed by its ROUTER routing id,
 * and the <em>homes</em> among them — the connections that said HELLO and so
 * receive answers and requests. A connection that ATTACHed with a home's
 * token speaks for that home (jeventlet sends from a second socket); every
 * other message is attributed to the connection it arrived on, never to
 * what a frame claims. Confined to the proxy's socket owner.
 *
 * <p>Lifecycle of a connection: {@code unknown -> (HELLO) home | (ATTACH)
 * attached -> gone} (its DISCONNECTED notice or an unreachable send). A home
 * going away takes its attached connections' right to speak with it.
 */
final class ProxyPeers {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A connection that said HELLO: answers and requests for it go to {@link #rid}. */
    static final class Home {
        final byte[] rid;
        final String key;
        final String token;
        final String curveKey;
        final List<Conn> attached = new ArrayList<>(2);

        Home(byte[] rid, String key, String curveKey) {
            this.rid = rid;
            this.key = key;
            this.curveKey = curveKey;
            byte[] t = new byte[16];
            RANDOM.nextBytes(t);
            this.token = HexFormat.of().formatHex(t);
        }

        String name() {
            return ZmqProtocol.printable(rid);
        }
    }

    /** One connection; {@link #home} is null until it says HELLO or ATTACHes. */
    static final class Conn {
        final byte[] rid;
        final String key;
        final String curveKey;
        Home home;

        Conn(byte[] rid, String key, String curveKey) {
            this.rid = rid;
            this.key = key;
            this.curveKey = curveKey;
        }
    }

    private final Map<String, Conn> conns = new HashMap<>();
    private final Map<String, Home> byToken = new HashMap<>();

    static String key(byte[] rid) {
        return new String(rid, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The connection {@code rid}, known from now on; {@code curveKey} is its CURVE client key or "". */
    Conn conn(byte[] rid, String curveKey) {
        String k = key(rid);
        Conn c = conns.get(k);
        if (c == null || !Objects.equals(c.curveKey, curveKey)) {
            c = new Conn(rid, k, curveKey);
            conns.put(k, c);
        }
        return c;
    }

    /** Makes {@code c} a home (idempotent); null when it is attached to another home. */
    Home hello(Conn c) {
        if (c.home != null) {
            return c.home.key.equals(c.key) ? c.home : null;
        }
        Home h = new Home(c.rid, c.key, c.curveKey);
        c.home = h;
        byToken.put(h.token, h);
        return h;
    }

    /**
     * Lets {@code c} speak for the home holding {@code token}; null when no
     * home holds it, its CURVE key differs, or {@code c} is itself a home.
     */
    Home attach(Conn c, String token) {
        Home h = byToken.get(token);
        if (h == null || !h.curveKey.equals(c.curveKey) || (c.home != null && c.home.key.equals(c.key))) {
            return null;
        }
        if (c.home != h) {
            if (c.home != null) {
                c.home.attached.remove(c);
            }
            c.home = h;
            h.attached.add(c);
        }
        return h;
    }

    /** The home whose own connection is {@code key}, or null (gone, or never said HELLO). */
    Home homeOf(String key) {
        Conn c = conns.get(key);
        return c != null && c.home != null && c.home.key.equals(key) ? c.home : null;
    }

    /** Forgets the connection {@code key}; returns its home when that home is gone with it, else null. */
    Home gone(String key) {
        Conn c = conns.remove(key);
        if (c == null || c.home == null) {
            return null;
        }
        Home h = c.home;
        if (!h.key.equals(key)) {
            h.attached.remove(c);
            return null;
        }
        byToken.remove(h.token);
        for (Conn a : h.attached) {
            a.home = null;
        }
        h.attached.clear();
        return h;
    }

    /** Connections known (for stats). */
    int size() {
        return conns.size();
    }
}

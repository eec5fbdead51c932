package io.jeventlet.rpc.zmq;

import java.util.HashMap;
import java.util.Map;

/**
 * The calls a proxy routed and not yet saw answered: by {@code (server home,
 * msg_id)}, the caller to answer. A REPLY or ERROR is forwarded only when it
 * comes from the home the call was routed to, so no other peer can answer a
 * call. Bounded: at most {@code max} entries (a call beyond is refused), each
 * forgotten at its final reply or after its {@code timeout_ms} plus a grace.
 * Confined to the proxy's socket owner.
 */
final class PendingCalls {

    /** One routed call. */
    record Pending(ProxyPeers.Home caller, String msgId, double expiresAt) {
    }

    private final Map<String, Pending> calls = new HashMap<>();
    private final int max;

    PendingCalls(int max) {
        this.max = max;
    }

    private static String key(ProxyPeers.Home server, String msgId) {
        return server.key + "\u0000" + msgId;
    }

    boolean full() {
        return calls.size() >= max;
    }

    /** Records a routed call; false when {@code server} already has a call of this id pending. */
    boolean add(ProxyPeers.Home server, String msgId, ProxyPeers.Home caller, double expiresAt) {
        return calls.putIfAbsent(key(server, msgId), new Pending(caller, msgId, expiresAt)) == null;
    }

    /** The call {@code msgId} routed to {@code server}, or null; removed when {@code last}. */
    Pending answer(ProxyPeers.Home server, String msgId, boolean last, double now) {
        String k = key(server, msgId);
        Pending p = last ? calls.remove(k) : calls.get(k);
        return p == null || p.expiresAt() < now ? null : p;
    }

    /** Forgets the call (it was never delivered). */
    void remove(ProxyPeers.Home server, String msgId) {
        calls.remove(key(server, msgId));
    }

    /** Drops expired entries; returns how many. */
    int sweep(double now) {
        int before = calls.size();
        calls.values().removeIf(p -> p.expiresAt() < now);
        return before - calls.size();
    }

    int size() {
        return calls.size();
    }
}

package io.jeventlet.rpc.zmq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A proxy's registrations: which peer (ROUTER identity) serves which
 * {@code (topic, server)}, until when. Confined to the proxy's socket owner.
 *
 * <p>Overview: registrations of a topic are kept in one list in arrival
 * order; a round-robin cursor per routing key ({@code topic} or
 * {@code topic.server}) walks the live ones, so several registrations of the
 * same pair, or the servers of a topic, share requests evenly. Expired
 * entries are skipped at once and swept in bulk by {@link #sweep}.
 */
final class RouteTable {

    /** One registration; {@code expiresAt} moves on each heartbeat. */
    static final class Registration {
        final byte[] identity;
        final String identityKey;
        final String topic;
        final String server;
        double expiresAt;

        Registration(byte[] identity, String identityKey, String topic, String server, double expiresAt) {
            this.identity = identity;
            this.identityKey = identityKey;
            this.topic = topic;
            this.server = server;
            this.expiresAt = expiresAt;
        }
    }

    private final Map<String, List<Registration>> byTopic = new HashMap<>();
    private final Map<String, Integer> cursors = new HashMap<>();

    static String identityKey(byte[] identity) {
        return new String(identity, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Adds or renews the registration; true when it is new. */
    boolean register(byte[] identity, String topic, String server, double expiresAt) {
        String key = identityKey(identity);
        List<Registration> regs = byTopic.computeIfAbsent(topic, t -> new ArrayList<>());
        for (Registration r : regs) {
            if (r.identityKey.equals(key) && r.server.equals(server)) {
                r.expiresAt = expiresAt;
                return false;
            }
        }
        regs.add(new Registration(identity, key, topic, server, expiresAt));
        return true;
    }

    /** Removes the registration; true if it existed. */
    boolean unregister(byte[] identity, String topic, String server) {
        List<Registration> regs = byTopic.get(topic);
        if (regs == null) {
            return false;
        }
        String key = identityKey(identity);
        boolean removed = regs.removeIf(r -> r.identityKey.equals(key) && r.server.equals(server));
        if (regs.isEmpty()) {
            byTopic.remove(topic);
        }
        return removed;
    }

    /** Forgets every registration of a peer the socket can no longer reach. */
    int dropPeer(String identityKey) {
        int n = 0;
        for (Iterator<List<Registration>> it = byTopic.values().iterator(); it.hasNext(); ) {
            List<Registration> regs = it.next();
            int before = regs.size();
            regs.removeIf(r -> r.identityKey.equals(identityKey));
            n += before - regs.size();
            if (regs.isEmpty()) {
                it.remove();
            }
        }
        return n;
    }

    /**
     * The next live registration for {@code topic} (any server when
     * {@code server} is empty), round robin; null when there is none.
     */
    Registration pick(String topic, String server, double now) {
        List<Registration> regs = byTopic.get(topic);
        if (regs == null || regs.isEmpty()) {
            return null;
        }
        String cursorKey = server.isEmpty() ? topic : topic + "." + server;
        int start = cursors.getOrDefault(cursorKey, 0);
        int n = regs.size();
        for (int i = 0; i < n; i++) {
            Registration r = regs.get((start + i) % n);
            if (r.expiresAt > now && (server.isEmpty() || r.server.equals(server))) {
                cursors.put(cursorKey, (start + i + 1) % n);
                return r;
            }
        }
        return null;
    }

    /** The server names with a live registration of {@code topic}, in first-registration order. */
    List<String> servers(String topic, double now) {
        List<Registration> regs = byTopic.get(topic);
        if (regs == null) {
            return List.of();
        }
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (Registration r : regs) {
            if (r.expiresAt > now) {
                names.add(r.server);
            }
        }
        return List.copyOf(names);
    }

    /** Every live registration of {@code topic} (a fanout's receivers). */
    List<Registration> all(String topic, double now) {
        List<Registration> regs = byTopic.get(topic);
        if (regs == null) {
            return List.of();
        }
        List<Registration> live = new ArrayList<>(regs.size());
        for (Registration r : regs) {
            if (r.expiresAt > now) {
                live.add(r);
            }
        }
        return live;
    }

    /** Removes expired registrations; returns them (for the log). */
    List<Registration> sweep(double now) {
        List<Registration> expired = new ArrayList<>();
        for (Iterator<List<Registration>> it = byTopic.values().iterator(); it.hasNext(); ) {
            List<Registration> regs = it.next();
            regs.removeIf(r -> {
                if (r.expiresAt <= now) {
                    expired.add(r);
                    return true;
                }
                return false;
            });
            if (regs.isEmpty()) {
                it.remove();
            }
        }
        if (byTopic.isEmpty()) {
            cursors.clear();
        }
        return expired;
    }

    /** Live registrations in total. */
    int size() {
        int n = 0;
        for (List<Registration> regs : byTopic.values()) {
            n += regs.size();
        }
        return n;
    }
}

package io.jeventlet.rpc.zmq;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which CURVE client keys may serve which topics: {@code rpc_zmq.curve_serve_acl},
 * a list of {@code TOPIC:KEY} entries where either side may be {@code *}
 * (default {@code ["*:*"]}: anyone may serve anything). A peer without a
 * CURVE key matches only {@code *} keys. Immutable and thread-safe.
 */
final class ServeAcl {
    private final Map<String, Set<String>> keysByTopic = new HashMap<>();

    /**
     * @throws IllegalArgumentException naming an entry that is not {@code TOPIC:KEY}
     *         with a key of 40 Z85 characters or {@code *}
     */
    ServeAcl(List<String> entries) {
        for (String e : entries) {
            // Z85 keys may hold colons: the key is "*" or the last 40 characters.
            String entry = e.strip();
            int colon = entry.endsWith(":*") ? entry.length() - 2
                    : entry.length() > 41 ? entry.length() - 41 : -1;
            boolean ok = colon > 0 && entry.charAt(colon) == ':';
            String topic = ok ? entry.substring(0, colon).strip() : "";
            String key = ok ? entry.substring(colon + 1) : "";
            if (topic.isEmpty()) {
                throw new IllegalArgumentException("rpc_zmq.curve_serve_acl entry '" + e
                        + "' is not TOPIC:KEY (a topic or *, a colon, and a 40-character Z85 public key or *)");
            }
            keysByTopic.computeIfAbsent(topic, t -> new HashSet<>()).add(key);
        }
    }

    /** True when a peer with {@code curveKey} ("" for none) may serve {@code topic}. */
    boolean allows(String topic, String curveKey) {
        return matches(keysByTopic.get(topic), curveKey) || matches(keysByTopic.get("*"), curveKey);
    }

    private static boolean matches(Set<String> keys, String curveKey) {
        return keys != null && (keys.contains("*") || (!curveKey.isEmpty() && keys.contains(curveKey)));
    }
}

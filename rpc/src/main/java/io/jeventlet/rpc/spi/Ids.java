package io.jeventlet.rpc.spi;

import java.util.UUID;

/**
 * The one source of the random ids the RPC stack puts on the wire and in
 * queue names: Python's {@code uuid.uuid4().hex} (32 lower-case hex digits),
 * as oslo.messaging makes its {@code _msg_id}, {@code _unique_id} and
 * {@code reply_<hex>} names. Thread-safe (stateless).
 */
public final class Ids {
    private Ids() {
    }

    /** A fresh uuid4 as 32 lower-case hex digits. */
    public static String uuidHex() {
        UUID u = UUID.randomUUID();
        return hex(u.getMostSignificantBits()) + hex(u.getLeastSignificantBits());
    }

    private static String hex(long v) {
        String s = Long.toHexString(v);
        return "0".repeat(16 - s.length()) + s;
    }
}

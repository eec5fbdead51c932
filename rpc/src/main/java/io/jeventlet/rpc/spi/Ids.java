package io.jeventlet.rpc.spi;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The one source of the random ids the RPC stack puts on the wire and in
 * queue names: Python's {@code uuid.uuid4().hex} (32 lower-case hex digits,
 * the version and variant bits of a version 4 UUID), as oslo.messaging makes
 * its {@code _msg_id}, {@code _unique_id} and {@code reply_<hex>} names.
 * Thread-safe.
 *
 * <p>Guarantee: every id is 122 bits from a cryptographically strong
 * generator (NIST SP 800-90A Hash_DRBG, seeded from the OS), so ids cannot be
 * guessed from the ids a peer has seen; the ZeroMQ identities depend on that
 * (docs/PROTOCOL.md, "Identity").
 *
 * <p>Why not {@code UUID.randomUUID()}: the JDK's default generator on Linux
 * (NativePRNG) serialises every caller in the process on one lock and reads
 * {@code /dev/urandom} under it. Three ids go into every call (its
 * {@code _msg_id}, its {@code _unique_id}, the reply's {@code _unique_id}),
 * made on the green threads of the caller's and the server's hubs, whose
 * carriers then queue on that lock (bench/RESULTS.md, "ZeroMQ transport", "Fewer parses and cheaper ids"). Here a
 * thread takes one of several generators by its id, so carriers rarely meet
 * on one lock, and none reads a file after seeding.
 */
public final class Ids {
    private static final HexFormat HEX = HexFormat.of();
    /** A power of two, so a thread id masks to a stripe. */
    private static final Stripe[] STRIPES = new Stripe[
            Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new Stripe();
        }
    }

    /**
     * One generator and the random bytes it made ahead: the DRBG costs about as much for 16
     * bytes as for 64 (a hash per 32 bytes plus a fixed update), so it is asked for 32 ids at a
     * time. The bytes are handed out once each and never leave the stripe otherwise.
     */
    private static final class Stripe {
        private final SecureRandom random;
        private final byte[] ahead = new byte[16 * 32];
        private int next = ahead.length;

        Stripe() {
            try {
                random = SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        synchronized void fill(byte[] id) {
            if (next == ahead.length) {
                random.nextBytes(ahead);
                next = 0;
            }
            System.arraycopy(ahead, next, id, 0, id.length);
            next += id.length;
        }
    }

    private Ids() {
    }

    /** A fresh uuid4 as 32 lower-case hex digits. */
    public static String uuidHex() {
        byte[] b = new byte[16];
        STRIPES[(int) Thread.currentThread().threadId() & (STRIPES.length - 1)].fill(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // variant IETF
        return HEX.formatHex(b);
    }
}

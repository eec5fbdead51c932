package com.neilalexander.jnacl.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * NaCl's {@code crypto_box} (X25519, HSalsa20, then {@link xsalsa20poly1305}),
 * as the jnacl class of this name offers it to JeroMQ's CurveZMQ, computed by
 * BouncyCastle. Thread-safe. Why it exists, and how it is checked: see
 * {@link xsalsa20poly1305}.
 *
 * <p>One difference from jnacl, as libsodium does it:
 * {@link #crypto_box_beforenm} returns -1 when the shared point is all zero
 * (a public key of small order), so no box is made under a key an attacker
 * can know.
 */
public class curve25519xsalsa20poly1305 {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** "expand 32-byte k", little-endian words. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    public curve25519xsalsa20poly1305() {
    }

    public static int crypto_box_getpublickey(byte[] pk, byte[] sk) {
        X25519.scalarMultBase(sk, 0, pk, 0);
        return 0;
    }

    public static int crypto_box_keypair(byte[] pk, byte[] sk) {
        RANDOM.nextBytes(sk);
        return crypto_box_getpublickey(pk, sk);
    }

    public static int crypto_box_beforenm(byte[] k, byte[] pk, byte[] sk) {
        byte[] shared = new byte[32];
        if (!X25519.calculateAgreement(sk, 0, pk, 0, shared, 0)) {
            return -1;
        }
        hsalsa20(k, shared);
        return 0;
    }

    public static int crypto_box_afternm(byte[] c, byte[] m, long mlen, byte[] n, byte[] k) {
        return xsalsa20poly1305.crypto_secretbox(c, m, mlen, n, k);
    }

    public static int crypto_box_open_afternm(byte[] m, byte[] c, long clen, byte[] n, byte[] k) {
        return xsalsa20poly1305.crypto_secretbox_open(m, c, clen, n, k);
    }

    public static int crypto_box(byte[] c, byte[] m, long mlen, byte[] n, byte[] pk, byte[] sk) {
        byte[] k = new byte[32];
        return crypto_box_beforenm(k, pk, sk) == 0 ? crypto_box_afternm(c, m, mlen, n, k) : -1;
    }

    public static int crypto_box_open(byte[] m, byte[] c, long clen, byte[] n, byte[] pk, byte[] sk) {
        byte[] k = new byte[32];
        return crypto_box_beforenm(k, pk, sk) == 0 ? crypto_box_open_afternm(m, c, clen, n, k) : -1;
    }

    /**
     * HSalsa20 of {@code key} with a zero 16-byte input, as NaCl's
     * {@code crypto_box_beforenm} derives the box key: the Salsa20 core
     * without its final addition, output words 0, 5, 10, 15, 6, 7, 8, 9.
     * BouncyCastle's core adds the input back, so it is subtracted here.
     */
    private static void hsalsa20(byte[] out, byte[] key) {
        int[] in = new int[16];
        in[0] = SIGMA[0];
        in[5] = SIGMA[1];
        in[10] = SIGMA[2];
        in[15] = SIGMA[3];
        for (int i = 0; i < 4; i++) {
            in[1 + i] = le(key, 4 * i);
            in[11 + i] = le(key, 16 + 4 * i);
        }
        // in[6..9] (the 16-byte input) stay zero.
        int[] x = new int[16];
        Salsa20Engine.salsaCore(20, in, x);
        int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
        for (int i = 0; i < 8; i++) {
            int w = x[words[i]] - in[words[i]];
            out[4 * i] = (byte) w;
            out[4 * i + 1] = (byte) (w >>> 8);
            out[4 * i + 2] = (byte) (w >>> 16);
            out[4 * i + 3] = (byte) (w >>> 24);
        }
    }

    private static int le(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}

package com.neilalexander.jnacl.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20 and Poly1305), as the jnacl
 * class of this name offers it to JeroMQ's CurveZMQ, computed by BouncyCastle.
 * Thread-safe (stateless).
 *
 * <p>Why this class exists: JeroMQ 0.6.0 calls jnacl's static methods by
 * name and offers no other crypto. jnacl's Salsa20 and Poly1305 are ports of
 * NaCl's reference code, and a JFR profile of CurveZMQ calls put 78 % of
 * all CPU in them (bench/RESULTS.md, "CurveZMQ's crypto"). The parent pom
 * leaves the jnacl artifact out and this module provides its two classes
 * that JeroMQ uses, with the same names and signatures; the output is byte
 * for byte NaCl's ({@code CurveCryptoTest}: RFC 7748 and NaCl test vectors,
 * and vectors made by jnacl), so whichever of the two a classpath holds
 * first, the bytes on the wire are the same. A JeroMQ upgrade must be
 * checked against the methods it calls (the test lists them).
 *
 * <p>NaCl's conventions: a message {@code m} starts with 32 zero bytes and
 * a box {@code c} with 16; {@code c[16..32)} is the Poly1305 tag of
 * {@code c[32..len)}, keyed by the first 32 bytes of the XSalsa20 stream.
 * Both return 0 on success and -1 on a bad length or (opening) a forged box.
 */
public class xsalsa20poly1305 {
    static final int ZEROBYTES = 32;
    static final int BOXZEROBYTES = 16;

    public xsalsa20poly1305() {
    }

    public static int crypto_secretbox(byte[] c, byte[] m, long mlen, byte[] n, byte[] k) {
        return run(true, c, m, mlen, n, k);
    }

    public static int crypto_secretbox_open(byte[] m, byte[] c, long clen, byte[] n, byte[] k) {
        return run(false, m, c, clen, n, k);
    }

    /** Seals {@code in} into {@code out}, or opens it into {@code out} once its tag is checked. */
    private static int run(boolean seal, byte[] out, byte[] in, long length, byte[] n, byte[] k) {
        int len = (int) length;
        if (len < ZEROBYTES || in.length < len || out.length < len) {
            return -1;
        }
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(true, new ParametersWithIV(new KeyParameter(k, 0, 32), n, 0, 24));
        byte[] polyKey = new byte[32];
        stream.processBytes(polyKey, 0, 32, polyKey, 0);
        if (!seal && !MessageDigest.isEqual(tag(polyKey, in, len), Arrays.copyOfRange(in, BOXZEROBYTES, ZEROBYTES))) {
            return -1;
        }
        stream.processBytes(in, ZEROBYTES, len - ZEROBYTES, out, ZEROBYTES);
        if (seal) {
            Arrays.fill(out, 0, BOXZEROBYTES, (byte) 0);
            System.arraycopy(tag(polyKey, out, len), 0, out, BOXZEROBYTES, 16);
        } else {
            Arrays.fill(out, 0, ZEROBYTES, (byte) 0);
        }
        return 0;
    }

    private static byte[] tag(byte[] polyKey, byte[] c, int len) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(c, ZEROBYTES, len - ZEROBYTES);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        return tag;
    }
}

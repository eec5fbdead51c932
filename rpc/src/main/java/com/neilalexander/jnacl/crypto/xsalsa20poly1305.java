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
        int len = (int) mlen;
        if (len < ZEROBYTES || m.length < len || c.length < len) {
            return -1;
        }
        XSalsa20Engine stream = stream(n, k);
        byte[] polyKey = new byte[32];
        stream.processBytes(polyKey, 0, 32, polyKey, 0);
        stream.processBytes(m, ZEROBYTES, len - ZEROBYTES, c, ZEROBYTES);
        byte[] tag = tag(polyKey, c, len);
        Arrays.fill(c, 0, BOXZEROBYTES, (byte) 0);
        System.arraycopy(tag, 0, c, BOXZEROBYTES, 16);
        return 0;
    }

    public static int crypto_secretbox_open(byte[] m, byte[] c, long clen, byte[] n, byte[] k) {
        int len = (int) clen;
        if (len < ZEROBYTES || c.length < len || m.length < len) {
            return -1;
        }
        XSalsa20Engine stream = stream(n, k);
        byte[] polyKey = new byte[32];
        stream.processBytes(polyKey, 0, 32, polyKey, 0);
        byte[] tag = tag(polyKey, c, len);
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(c, BOXZEROBYTES, ZEROBYTES))) {
            return -1;
        }
        stream.processBytes(c, ZEROBYTES, len - ZEROBYTES, m, ZEROBYTES);
        Arrays.fill(m, 0, ZEROBYTES, (byte) 0);
        return 0;
    }

    private static XSalsa20Engine stream(byte[] n, byte[] k) {
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(true, new ParametersWithIV(new KeyParameter(k, 0, 32), n, 0, 24));
        return stream;
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

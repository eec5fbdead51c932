package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.neilalexander.jnacl.crypto.curve25519xsalsa20poly1305;
import com.neilalexander.jnacl.crypto.xsalsa20poly1305;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The crypto JeroMQ's CurveZMQ calls (jnacl's two classes, provided here over
 * BouncyCastle) gives NaCl's bytes: the X25519 keys of RFC 7748 section 6.1,
 * NaCl's box key for them, boxes recorded from jnacl 1.0.0 (which this
 * replaces), and NaCl's rules for opening a box. The CurveZMQ tests against
 * libzmq (pyzmq peers) check the same crypto on the wire.
 */
class CurveCryptoTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] seq(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + 7 * i);
        }
        return b;
    }

    private static byte[] padded(byte[] plain) {
        byte[] m = new byte[32 + plain.length];
        System.arraycopy(plain, 0, m, 32, plain.length);
        return m;
    }

    @Test
    void rfc7748KeysAndNaclBoxKey() {
        byte[] aliceSk = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobSk = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePk = new byte[32];
        byte[] bobPk = new byte[32];
        curve25519xsalsa20poly1305.crypto_box_getpublickey(alicePk, aliceSk);
        curve25519xsalsa20poly1305.crypto_box_getpublickey(bobPk, bobSk);
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", HEX.formatHex(alicePk));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", HEX.formatHex(bobPk));
        byte[] k = new byte[32];
        byte[] k2 = new byte[32];
        assertEquals(0, curve25519xsalsa20poly1305.crypto_box_beforenm(k, bobPk, aliceSk));
        assertEquals(0, curve25519xsalsa20poly1305.crypto_box_beforenm(k2, alicePk, bobSk));
        // NaCl's "firstkey": HSalsa20 of the RFC 7748 shared secret.
        assertEquals("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389", HEX.formatHex(k));
        assertArrayEquals(k, k2);
    }

    /** Boxes of 0, 1 and 100 bytes, as jnacl 1.0.0 made them for the same keys and nonce. */
    @Test
    void boxesAreJnaclsByteForByte() {
        byte[] aliceSk = seq(32, 1);
        byte[] bobPk = new byte[32];
        curve25519xsalsa20poly1305.crypto_box_getpublickey(bobPk, seq(32, 101));
        assertEquals("15b60993864de96e8a012b00d4ae5b281f917e5d0e76f6a4d8ab8ed3f831a81a", HEX.formatHex(bobPk));
        byte[] k = new byte[32];
        curve25519xsalsa20poly1305.crypto_box_beforenm(k, bobPk, aliceSk);
        assertEquals("0bdc1ba38b5a867f7f17434ea1d7098c2f49bab2b1effe3f8657e3413026a2aa", HEX.formatHex(k));
        byte[] n = seq(24, 33);
        String[] expected = {
            "0000000000000000000000000000000034d51998b728e0747be11f0a09aa4a0d",
            "0000000000000000000000000000000039cd53e6a951253c58fdb1d72b82229013",
            "00000000000000000000000000000000e708a90646744075405e082522710a1413d93d6ee8e1b3a6c3e835148d0c9f67"
                    + "8f652dfcfd6f466f4eb59eca5eae9753d15ccf6b30ea026b50469be52c17aafa2abe56703984a06eece46096416f"
                    + "254a3b01a377544e3a2784c0a1411e690054d45d7c07ed36bbb59325d3dc0cf82eaa51989dab",
        };
        int[] lengths = {0, 1, 100};
        for (int i = 0; i < lengths.length; i++) {
            byte[] m = padded(seq(lengths[i], 200));
            byte[] c = new byte[m.length];
            assertEquals(0, curve25519xsalsa20poly1305.crypto_box_afternm(c, m, m.length, n, k));
            assertEquals(expected[i], HEX.formatHex(c), "box of " + lengths[i] + " bytes");
            byte[] viaBox = new byte[m.length];
            assertEquals(0, curve25519xsalsa20poly1305.crypto_box(viaBox, m, m.length, n, bobPk, aliceSk));
            assertArrayEquals(c, viaBox);
            byte[] viaSecretbox = new byte[m.length];
            assertEquals(0, xsalsa20poly1305.crypto_secretbox(viaSecretbox, m, m.length, n, k));
            assertArrayEquals(c, viaSecretbox);
        }
    }

    @Test
    void openGivesTheMessageBackAndRefusesAnyChange() {
        byte[] alicePk = new byte[32];
        byte[] aliceSk = new byte[32];
        byte[] bobPk = new byte[32];
        byte[] bobSk = new byte[32];
        curve25519xsalsa20poly1305.crypto_box_keypair(alicePk, aliceSk);
        curve25519xsalsa20poly1305.crypto_box_keypair(bobPk, bobSk);
        byte[] n = seq(24, 5);
        byte[] m = padded("a CurveZMQ MESSAGE frame".getBytes());
        byte[] c = new byte[m.length];
        assertEquals(0, curve25519xsalsa20poly1305.crypto_box(c, m, m.length, n, bobPk, aliceSk));
        byte[] back = new byte[c.length];
        assertEquals(0, curve25519xsalsa20poly1305.crypto_box_open(back, c, c.length, n, alicePk, bobSk));
        assertArrayEquals(m, back);
        for (int i = 16; i < c.length; i++) {
            byte[] forged = c.clone();
            forged[i] ^= 1;
            assertEquals(-1, curve25519xsalsa20poly1305.crypto_box_open(new byte[c.length], forged, c.length, n,
                    alicePk, bobSk), "a box with byte " + i + " changed was opened");
        }
        byte[] otherNonce = n.clone();
        otherNonce[23] ^= 1;
        assertEquals(-1, curve25519xsalsa20poly1305.crypto_box_open(new byte[c.length], c, c.length, otherNonce,
                alicePk, bobSk));
        assertEquals(-1, xsalsa20poly1305.crypto_secretbox_open(new byte[31], new byte[31], 31, n, new byte[32]));
        assertEquals(-1, xsalsa20poly1305.crypto_secretbox(new byte[31], new byte[31], 31, n, new byte[32]));
    }

    /** A public key of small order gives an all-zero shared point: refused, as libsodium does. */
    @Test
    void smallOrderPublicKeyIsRefused() {
        byte[] sk = seq(32, 9);
        assertEquals(-1, curve25519xsalsa20poly1305.crypto_box_beforenm(new byte[32], new byte[32], sk));
        assertEquals(-1, curve25519xsalsa20poly1305.crypto_box(new byte[40], new byte[40], 40, seq(24, 1),
                new byte[32], sk));
    }

    /**
     * jnacl itself is off the classpath (the parent pom excludes it), so JeroMQ gets these classes,
     * and they offer every method JeroMQ 0.6.0's {@code zmq.io.mechanism.curve.Curve} calls.
     */
    @Test
    void jeromqGetsTheseClassesWithEveryMethodItCalls() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.neilalexander.jnacl.crypto.poly1305"));
        Class<?> box = curve25519xsalsa20poly1305.class;
        Class<?> b = byte[].class;
        box.getMethod("crypto_box_keypair", b, b);
        box.getMethod("crypto_box_beforenm", b, b, b);
        box.getMethod("crypto_box_afternm", b, b, long.class, b, b);
        box.getMethod("crypto_box_open_afternm", b, b, long.class, b, b);
        box.getMethod("crypto_box", b, b, long.class, b, b, b);
        box.getMethod("crypto_box_open", b, b, long.class, b, b, b);
        xsalsa20poly1305.class.getMethod("crypto_secretbox", b, b, long.class, b, b);
        xsalsa20poly1305.class.getMethod("crypto_secretbox_open", b, b, long.class, b, b);
        String where = box.getProtectionDomain().getCodeSource().getLocation().toString();
        assertFalse(where.contains("jnacl"), where);
    }
}

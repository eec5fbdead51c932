package io.jeventlet.rpc.zmq;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The jeventlet ZeroMQ wire protocol, version 2, as written in
 * {@code docs/PROTOCOL.md}: every message is a multipart message whose first
 * three frames are the protocol version (ASCII decimal), the message type
 * (ASCII word) and a message id (the call's {@code _msg_id}, empty when the
 * type has none). The frames that follow depend on the type. No frame names
 * the sender: a proxy attributes a message to the connection it arrived on
 * (or, for a connection that ATTACHed, to the connection it attached to).
 *
 * <p>Thread-safe: constants and pure functions.
 */
final class ZmqProtocol {

    /** The version this code speaks; the only one it accepts. */
    static final String VERSION = "2";
    static final byte[] VERSION_BYTES = bytes(VERSION);

    // Peer -> proxy.
    static final String HELLO = "HELLO";           // [v, HELLO, ""]: this connection is a peer's home
    static final String ATTACH = "ATTACH";         // [v, ATTACH, "", token]: this connection speaks for the home holding token
    static final String REGISTER = "REGISTER";     // [v, REGISTER, "", topic, server, ttl_ms]
    static final String UNREGISTER = "UNREGISTER"; // [v, UNREGISTER, "", topic, server]
    static final String PING = "PING";             // [v, PING, ""]
    static final String CALL = "CALL";             // [v, CALL, msg_id, topic, server, timeout_ms, body]
    static final String CAST = "CAST";             // [v, CAST, "", topic, server, body]
    static final String FANOUT = "FANOUT";         // [v, FANOUT, "", topic, "", body]
    // A notification: one registration of each server name of the topic gets it (the listener groups).
    static final String NOTIFY = "NOTIFY";         // [v, NOTIFY, "", topic, "", body]
    static final String REPLY = "REPLY";           // [v, REPLY, msg_id, ending, body]
    static final String ERROR = "ERROR";           // [v, ERROR, msg_id, text] (server -> proxy)

    // Proxy -> peer.
    static final String WELCOME = "WELCOME";       // [v, WELCOME, "", identity, token]
    static final String ATTACHED = "ATTACHED";     // [v, ATTACHED, ""] (to the home)
    static final String REGISTERED = "REGISTERED"; // [v, REGISTERED, "", topic, server]
    static final String REFUSED = "REFUSED";       // [v, REFUSED, "", topic, server, text]
    static final String PONG = "PONG";             // [v, PONG, ""]
    // CALL/CAST/FANOUT to a server:               [v, TYPE, msg_id, topic, server, body, caller]
    // REPLY to a caller:                          [v, REPLY, msg_id, origin, ending, body]
    static final String NOROUTE = "NOROUTE";       // [v, NOROUTE, msg_id, text]
    // ERROR to a caller:                          [v, ERROR, msg_id, origin, text] (origin empty: the proxy)

    /** The single frame a proxy's ROUTER hands up when a connection is gone (ZMQ_DISCONNECT_MSG). */
    static final byte[] DISCONNECTED = {0, 'g', 'o', 'n', 'e'};

    /** Longest topic, server name, message id or peer identity accepted, in bytes. */
    static final int MAX_NAME = 255;
    /** Bytes of frames around a body (ids, names, type): what a message may carry above the body limit. */
    static final int FRAME_OVERHEAD = 6 * MAX_NAME + 64;
    /** Longest registration TTL a peer may ask for. */
    static final long MAX_TTL_MS = 86_400_000L;

    private ZmqProtocol() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A message of the given frames, the version frame first. */
    static byte[][] message(String type, String msgId, Object... rest) {
        byte[][] frames = new byte[3 + rest.length][];
        frames[0] = VERSION_BYTES;
        frames[1] = bytes(type);
        frames[2] = msgId == null ? new byte[0] : bytes(msgId);
        for (int i = 0; i < rest.length; i++) {
            Object o = rest[i];
            frames[3 + i] = o instanceof byte[] b ? b : bytes(o == null ? "" : o.toString());
        }
        return frames;
    }

    /** The frames a message of {@code type} must have (after the routing identity), or -1 for an unknown type. */
    static int expectedFrames(String type, boolean atProxy) {
        if (atProxy) {
            return switch (type) {
                case HELLO, PING -> 3;
                case ATTACH, ERROR -> 4;
                case UNREGISTER, REPLY -> 5;
                case REGISTER, CAST, FANOUT, NOTIFY -> 6;
                case CALL -> 7;
                default -> -1;
            };
        }
        return switch (type) {
            case PONG, ATTACHED -> 3;
            case NOROUTE -> 4;
            case WELCOME, REGISTERED, ERROR -> 5;
            case REPLY, REFUSED -> 6;
            case CALL, CAST, FANOUT -> 7;
            default -> -1;
        };
    }

    /**
     * Checks a message's shape: the version, a known type, its frame count,
     * and name frames no longer than {@link #MAX_NAME}. Returns null when it
     * is well formed, else what is wrong (for the log and the error reply).
     */
    static String checkShape(List<byte[]> frames, boolean atProxy) {
        if (frames.size() < 3) {
            return "message has " + frames.size() + " frames; every message has at least version, type and id";
        }
        String version = printable(frames.get(0));
        if (!VERSION.equals(version)) {
            return "unsupported protocol version '" + version + "'; this peer speaks version " + VERSION;
        }
        String type = printable(frames.get(1));
        int expected = expectedFrames(type, atProxy);
        if (expected < 0) {
            return "unknown message type '" + type + "'";
        }
        if (frames.size() != expected) {
            return type + " has " + frames.size() + " frames; expected " + expected;
        }
        int names = Math.min(frames.size(), bodyIndex(type, atProxy));
        for (int i = 2; i < names; i++) {
            if (frames.get(i).length > MAX_NAME) {
                return type + " frame " + i + " is " + frames.get(i).length + " bytes; names and ids are at most " + MAX_NAME;
            }
        }
        return null;
    }

    /** Index of the first frame that is not a name/id (the body or text), for the name-length check. */
    private static int bodyIndex(String type, boolean atProxy) {
        return switch (type) {
            case CALL -> atProxy ? 6 : 5;
            case CAST, FANOUT, NOTIFY -> 5;
            case REPLY -> atProxy ? 4 : 5;
            case ERROR -> atProxy ? 3 : 4;
            case REFUSED -> 5;
            case NOROUTE -> 3;
            default -> Integer.MAX_VALUE;
        };
    }

    /**
     * Frame 0 of the answer to a message of a version this code does not
     * speak: the sender's own version when it is 1-3 ASCII digits (so that
     * its own parser reads the ERROR), else this code's.
     */
    static byte[] answerVersion(List<byte[]> frames) {
        if (!frames.isEmpty()) {
            byte[] v = frames.get(0);
            boolean digits = v.length >= 1 && v.length <= 3;
            for (int i = 0; digits && i < v.length; i++) {
                digits = v[i] >= '0' && v[i] <= '9';
            }
            if (digits) {
                return v;
            }
        }
        return VERSION_BYTES;
    }

    /** True when frame 0 is this code's version. */
    static boolean versionMatches(List<byte[]> frames) {
        return !frames.isEmpty() && java.util.Arrays.equals(frames.get(0), VERSION_BYTES);
    }

    /** The message id of a message if it has a plausible one (for an error reply), else null. */
    static String msgIdOf(List<byte[]> frames) {
        if (frames.size() < 3) {
            return null;
        }
        byte[] id = frames.get(2);
        if (id.length == 0 || id.length > MAX_NAME) {
            return null;
        }
        for (byte b : id) {
            if (b < 0x21 || b > 0x7e) {
                return null;
            }
        }
        return text(id);
    }

    /** A frame shown in a log line: printable ASCII up to 64 characters, else a hex prefix. */
    /**
     * True for an identity a peer presented: 1-255 bytes, the first not zero. A ROUTER makes up
     * the identities of connections that present none, always starting with a zero byte.
     */
    static boolean presented(byte[] identity) {
        return identity.length > 0 && identity[0] != 0;
    }

    static String printable(byte[] frame) {
        boolean ascii = frame.length <= 64;
        for (int i = 0; ascii && i < frame.length; i++) {
            ascii = frame[i] >= 0x20 && frame[i] < 0x7f;
        }
        if (ascii) {
            return new String(frame, StandardCharsets.US_ASCII);
        }
        StringBuilder b = new StringBuilder("0x");
        for (int i = 0; i < Math.min(16, frame.length); i++) {
            b.append(String.format("%02x", frame[i]));
        }
        return b.append(frame.length > 16 ? "... (" + frame.length + " bytes)" : "").toString();
    }
}

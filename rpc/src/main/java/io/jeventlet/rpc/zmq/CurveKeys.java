package io.jeventlet.rpc.zmq;

import io.jeventlet.conf.ConfigOpts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZAuth;
import org.zeromq.ZConfig;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The CurveZMQ keys of a proxy or peer, read from ZCert certificate files
 * named by the {@code rpc_zmq} options and checked when the proxy or driver
 * starts: a secret certificate readable by group or others, a file that is
 * not a certificate, a key that is not 40 Z85 characters, or a missing
 * allowed-keys directory is an {@link IllegalArgumentException} naming the
 * file and the rule. Immutable and thread-safe.
 *
 * <p>A proxy is the CURVE server: it holds its key pair and lets in only the
 * peers whose public certificates are in {@code curve_allowed_keys_dir}
 * (JeroMQ's {@link ZAuth}, verbose off since it prints to stdout; each
 * refusal is logged here instead). Clients and servers are CURVE clients:
 * their own key pair plus the proxies' public key.
 */
final class CurveKeys {
    private static final Logger LOG = LoggerFactory.getLogger(CurveKeys.class);

    private final byte[] publicKey;
    private final byte[] secretKey;
    private final byte[] proxyPublicKey;
    private final Path allowedDir;

    private CurveKeys(byte[] publicKey, byte[] secretKey, byte[] proxyPublicKey, Path allowedDir) {
        this.publicKey = publicKey;
        this.secretKey = secretKey;
        this.proxyPublicKey = proxyPublicKey;
        this.allowedDir = allowedDir;
    }

    /** The proxy's keys, or null when {@code rpc_zmq.curve_secret_key_file} is unset. */
    static CurveKeys forProxy(ConfigOpts conf) {
        String secret = conf.get(ZmqOpts.CURVE_SECRET_KEY_FILE);
        String allowed = conf.get(ZmqOpts.CURVE_ALLOWED_KEYS_DIR);
        if (secret == null) {
            if (allowed != null) {
                throw new IllegalArgumentException("rpc_zmq.curve_allowed_keys_dir is set ('" + allowed
                        + "') but rpc_zmq.curve_secret_key_file is not; a CurveZMQ proxy needs both");
            }
            return null;
        }
        if (allowed == null) {
            throw new IllegalArgumentException("rpc_zmq.curve_secret_key_file is set but rpc_zmq.curve_allowed_keys_dir"
                    + " is not; a CurveZMQ proxy needs the directory of the peers' public certificates");
        }
        byte[][] pair = readSecret(Path.of(secret));
        Path dir = Path.of(allowed);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("rpc_zmq.curve_allowed_keys_dir '" + dir + "' is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> certs = files.filter(Files::isRegularFile).toList();
            if (certs.isEmpty()) {
                LOG.warn("rpc_zmq.curve_allowed_keys_dir '{}' holds no certificate: every peer will be refused", dir);
            }
            for (Path cert : certs) {
                readKey(cert, "public-key");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("rpc_zmq.curve_allowed_keys_dir '" + dir + "' cannot be read: " + e, e);
        }
        return new CurveKeys(pair[0], pair[1], null, dir);
    }

    /** A client's or server's keys, or null when {@code rpc_zmq.curve_secret_key_file} is unset. */
    static CurveKeys forPeer(ConfigOpts conf) {
        String secret = conf.get(ZmqOpts.CURVE_SECRET_KEY_FILE);
        String proxy = conf.get(ZmqOpts.CURVE_PROXY_PUBLIC_KEY_FILE);
        if (secret == null && proxy == null) {
            return null;
        }
        if (secret == null || proxy == null) {
            throw new IllegalArgumentException("rpc_zmq.curve_secret_key_file and rpc_zmq.curve_proxy_public_key_file"
                    + " must be set together for CurveZMQ (one is '" + (secret == null ? proxy : secret) + "')");
        }
        byte[][] pair = readSecret(Path.of(secret));
        return new CurveKeys(pair[0], pair[1], readKey(Path.of(proxy), "public-key"), null);
    }

    private static byte[][] readSecret(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new IllegalArgumentException("CurveZMQ secret certificate '" + file + "' has permissions "
                            + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                            + "; it must be readable by its owner only (chmod 600)");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("CurveZMQ secret certificate '" + file + "' cannot be read: " + e, e);
        } catch (UnsupportedOperationException e) {
            // No POSIX permissions on this file system: nothing to check.
        }
        return new byte[][] {readKey(file, "public-key"), readKey(file, "secret-key")};
    }

    private static byte[] readKey(Path file, String name) {
        ZConfig cert;
        try {
            cert = ZConfig.load(file.toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("CurveZMQ certificate '" + file + "' cannot be read: " + e, e);
        }
        String z85 = cert == null ? null : cert.getValue("curve/" + name);
        if (z85 == null || z85.length() != 40) {
            throw new IllegalArgumentException("CurveZMQ certificate '" + file + "' has no valid curve/" + name
                    + " (expected 40 Z85 characters, as ZCert writes them)");
        }
        byte[] key = ZMQ.Curve.z85Decode(z85);
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("CurveZMQ certificate '" + file + "' has a curve/" + name
                    + " that is not Z85 text of a 32-byte key");
        }
        return key;
    }

    /** Makes {@code socket} a CURVE server with the proxy's key pair. */
    void applyServer(ZMQ.Socket socket) {
        socket.setZAPDomain("jeventlet".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.setCurveServer(true);
        socket.setCurveSecretKey(secretKey);
        socket.setCurvePublicKey(publicKey);
    }

    /** Makes {@code socket} a CURVE client of the proxies. */
    void applyClient(ZMQ.Socket socket) {
        socket.setCurvePublicKey(publicKey);
        socket.setCurveSecretKey(secretKey);
        socket.setCurveServerKey(proxyPublicKey);
    }

    /** Starts JeroMQ's ZAP handler for the proxy's context, letting in the allowed certificates only. */
    ProxyAuth startAuth(ZContext context) {
        return new ProxyAuth(context, allowedDir);
    }

    /**
     * The proxy's ZAP handler plus a green-free watcher thread that logs each
     * refusal. Thread-safe; closed with the proxy.
     */
    static final class ProxyAuth implements AutoCloseable {
        private final ZAuth auth;
        private final AtomicLong refused = new AtomicLong();
        private final AtomicBoolean closing = new AtomicBoolean();
        private final Thread watcher;

        ProxyAuth(ZContext context, Path allowedDir) {
            auth = new ZAuth(context);
            auth.setVerbose(false);
            auth.replies(true);
            auth.configureCurve(allowedDir.toString());
            watcher = Thread.ofPlatform().daemon(true).name("jeventlet-zmq-auth-log").start(this::watch);
        }

        private void watch() {
            while (!closing.get()) {
                ZAuth.ZapReply reply;
                try {
                    reply = auth.nextReply(200);
                } catch (RuntimeException e) {
                    if (!closing.get()) {
                        LOG.warn("zmq proxy: cannot read ZAP replies any more: {}", e.toString());
                    }
                    return;
                }
                if (reply != null && reply.statusCode != 200) {
                    refused.incrementAndGet();
                    LOG.warn("zmq proxy refused a CurveZMQ peer from {}: {} {} (its public key is not in"
                            + " rpc_zmq.curve_allowed_keys_dir)", reply.address, reply.statusCode, reply.statusText);
                }
            }
        }

        long refused() {
            return refused.get();
        }

        @Override
        public void close() {
            closing.set(true);
            try {
                watcher.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            auth.close();
        }
    }
}

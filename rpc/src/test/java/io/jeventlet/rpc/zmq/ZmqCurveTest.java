package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZCert;

/** CurveZMQ between peers and a proxy: allowed keys pass, others are refused and logged, bad key files are reported at start. */
class ZmqCurveTest {
    @TempDir
    Path dir;
    private Path proxySecret;
    private Path proxyPublic;
    private Path allowed;

    private Path secret(String name, ZCert cert) throws Exception {
        Path p = dir.resolve(name + ".key_secret");
        cert.saveSecret(p.toString());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @BeforeEach
    void keys() throws Exception {
        ZCert proxy = new ZCert();
        proxySecret = secret("proxy", proxy);
        proxyPublic = dir.resolve("proxy.key");
        proxy.savePublic(proxyPublic.toString());
        allowed = Files.createDirectory(dir.resolve("allowed"));
    }

    /** A peer whose public key is in the allowed directory; returns its options. */
    private ConfigOpts peer(String name, boolean allow) throws Exception {
        ZCert cert = new ZCert();
        Path s = secret(name, cert);
        if (allow) {
            cert.savePublic(allowed.resolve(name + ".key").toString());
        }
        return ConfigOpts.builder()
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25)
                .override(ZmqOpts.REGISTRATION_TTL, 2.5)
                .override(ZmqOpts.CONNECT_TIMEOUT, 2.0)
                .override(ZmqOpts.CURVE_SECRET_KEY_FILE, s.toString())
                .override(ZmqOpts.CURVE_PROXY_PUBLIC_KEY_FILE, proxyPublic.toString())
                .load();
    }

    private ConfigOpts proxyConf() {
        return ConfigOpts.builder()
                .override(ZmqOpts.CURVE_SECRET_KEY_FILE, proxySecret.toString())
                .override(ZmqOpts.CURVE_ALLOWED_KEYS_DIR, allowed.toString())
                .load();
    }

    /** Peers with allowed keys call each other through a CURVE proxy. */
    @Test
    void allowedPeersTalk() throws Exception {
        ConfigOpts serverConf = peer("server", true);
        ConfigOpts clientConf = peer("client", true);
        ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", proxyConf());
                ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), serverConf, new ZmqTestKit.Replies());
                ZmqDriver client = ZmqTestKit.open(proxy.transportUrl(), clientConf, replies)) {
            ZmqTestKit.echo(server, new Address("t").withServer("s"), null);
            String id = ZmqTestKit.call(client, new Address("t"), "secret", 5);
            assertEquals(id + "|s:secret", replies.nextReply(15));
        }
    }

    /** A peer whose key is not allowed never reaches the proxy: its send fails, and the proxy logs and counts the refusal. */
    @Test
    void unknownKeyIsRefused() throws Exception {
        ConfigOpts strangerConf = peer("stranger", false);
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", proxyConf());
                ZmqDriver stranger = ZmqTestKit.open(proxy.transportUrl(), strangerConf, new ZmqTestKit.Replies())) {
            assertThrows(DeliveryException.class, () -> ZmqTestKit.call(stranger, new Address("t"), "x", 5));
            ZmqTestKit.await("the refusal to be counted", 15, () -> proxy.stats().getOrDefault("auth_refused", 0L) > 0);
        }
    }

    /** A peer without CURVE keys cannot talk to a CURVE proxy either. */
    @Test
    void plainPeerIsRefused() throws Exception {
        ConfigOpts plain = ConfigOpts.builder().override(ZmqOpts.CONNECT_TIMEOUT, 2.0).load();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", proxyConf());
                ZmqDriver d = ZmqTestKit.open(proxy.transportUrl(), plain, new ZmqTestKit.Replies())) {
            assertThrows(DeliveryException.class, () -> ZmqTestKit.call(d, new Address("t"), "x", 5));
        }
    }

    /** A secret key file readable by others is refused at start, naming the file and the rule. */
    @Test
    void looseSecretFileIsReported() throws Exception {
        Files.setPosixFilePermissions(proxySecret, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZmqProxy.start("tcp://127.0.0.1:0", proxyConf()));
        assertTrue(e.getMessage().contains(proxySecret.toString()) && e.getMessage().contains("chmod 600"), e.getMessage());
    }

    /** A key file that is not a certificate is refused at start, naming the file. */
    @Test
    void garbageKeyFileIsReported() throws Exception {
        Files.writeString(proxySecret, "not a certificate\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZmqProxy.start("tcp://127.0.0.1:0", proxyConf()));
        assertTrue(e.getMessage().contains(proxySecret.toString()), e.getMessage());
    }

    /** A client or server whose secret key file others can read is refused when its transport opens. */
    @Test
    void loosePeerSecretIsReported() throws Exception {
        ConfigOpts conf = peer("loose", true);
        Path secret = Path.of(conf.get(ZmqOpts.CURVE_SECRET_KEY_FILE));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZmqTestKit.open("zmq://127.0.0.1:1", conf, new ZmqTestKit.Replies()));
        assertTrue(e.getMessage().contains(secret.toString()) && e.getMessage().contains("chmod 600"), e.getMessage());
    }
}

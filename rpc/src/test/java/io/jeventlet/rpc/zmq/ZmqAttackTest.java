package io.jeventlet.rpc.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.OutgoingMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZCert;

/**
 * A pyzmq attacker on the same proxy ({@code src/test/python/zmq_attacker.py})
 * that knows a server's and a caller's identities and the caller's live
 * message ids tries to speak for them all the while the caller calls: forged
 * UNREGISTER and REGISTER of the server, forged REPLY and ERROR to the caller,
 * unparseable messages naming the caller and a live id, connections
 * presenting the victims' identities, ATTACH with a guessed token — without
 * and with CurveZMQ (the attacker holding its own valid key). Every call
 * succeeds with the right result, and the proxy counts what it refused.
 */
@org.junit.jupiter.api.Timeout(150) // a CurveZMQ attacker on a loaded machine may take a minute to get in
class ZmqAttackTest {
    private static final int CALLS = 60;

    @TempDir
    Path dir;

    private static ConfigOpts.Builder fast() {
        return ConfigOpts.builder()
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25)
                .override(ZmqOpts.REGISTRATION_TTL, 2.5)
                .override(ZmqOpts.CONNECT_TIMEOUT, 5.0);
    }

    @Test
    void plainAttackerSpeaksForNobody() throws Exception {
        attack(fast().load(), fast().load(), fast().load(), "-", false);
    }

    @Test
    void curveAttackerWithItsOwnValidKeySpeaksForNobody() throws Exception {
        ZCert proxy = new ZCert();
        Path proxySecret = secret("proxy", proxy);
        Path proxyPublic = dir.resolve("proxy.key");
        proxy.savePublic(proxyPublic.toString());
        Path allowed = Files.createDirectory(dir.resolve("allowed"));
        ZCert server = new ZCert();
        ZCert client = new ZCert();
        ZCert attacker = new ZCert();
        server.savePublic(allowed.resolve("server.key").toString());
        client.savePublic(allowed.resolve("client.key").toString());
        attacker.savePublic(allowed.resolve("attacker.key").toString());
        ConfigOpts proxyConf = fast()
                .override(ZmqOpts.CURVE_SECRET_KEY_FILE, proxySecret.toString())
                .override(ZmqOpts.CURVE_ALLOWED_KEYS_DIR, allowed.toString())
                .override(ZmqOpts.CURVE_SERVE_ACL, List.of("t:" + server.getPublicKeyAsZ85(), "evil:*"))
                .load();
        String keys = "curve," + attacker.getPublicKeyAsZ85() + "," + attacker.getSecretKeyAsZ85() + "," + proxy.getPublicKeyAsZ85();
        attack(proxyConf, peer("server", server, proxyPublic), peer("client", client, proxyPublic), keys, true);
    }

    private Path secret(String name, ZCert cert) throws Exception {
        Path p = dir.resolve(name + ".key_secret");
        cert.saveSecret(p.toString());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private ConfigOpts peer(String name, ZCert cert, Path proxyPublic) throws Exception {
        return fast()
                .override(ZmqOpts.CURVE_SECRET_KEY_FILE, secret(name, cert).toString())
                .override(ZmqOpts.CURVE_PROXY_PUBLIC_KEY_FILE, proxyPublic.toString())
                .load();
    }

    private void attack(ConfigOpts proxyConf, ConfigOpts serverConf, ConfigOpts clientConf, String keys, boolean steal)
            throws Exception {
        ZmqTestKit.Replies replies = new ZmqTestKit.Replies();
        try (ZmqProxy proxy = ZmqProxy.start("tcp://127.0.0.1:0", proxyConf);
                ZmqDriver server = ZmqTestKit.open(proxy.transportUrl(), serverConf, new ZmqTestKit.Replies());
                ZmqDriver client = ZmqTestKit.open(proxy.transportUrl(), clientConf, replies)) {
            ZmqTestKit.echo(server, new Address("t").withServer("s1"), null);
            // The victims are connected before the attacker starts: an identity nobody holds can be
            // taken by whoever connects first (docs/PROTOCOL.md, "Identity": what this protects).
            ZmqTestKit.await("the caller's link", 30, client::anyProxyUp);
            ZmqTestKit.await("both victims' addresses", 30, () -> server.addressAt(0) != null && client.addressAt(0) != null);
            String prefix = "atk" + UUID.randomUUID().toString().substring(0, 8) + "-";
            try (PyZmqPeer attacker = PyZmqPeer.script("zmq_attacker.py", proxy.transportUrl(), server.addressAt(0),
                    client.addressAt(0), prefix, Integer.toString(CALLS), keys, steal ? "--steal" : "-")) {
                assertEquals("READY", attacker.nextLine(60)); // the attacker waits up to 50 s for its CURVE home
                // The attacks are under way before the first call and go on during all of them.
                ZmqTestKit.await("the proxy to have refused forged replies and a taken-over identity", 30, () -> {
                    Map<String, Long> st = proxy.stats();
                    return st.getOrDefault("reply_unexpected", 0L) > 0 && st.getOrDefault("identity_refused", 0L) > 0;
                });
                for (int i = 0; i < CALLS; i++) {
                    String msgId = prefix + i;
                    Address target = i % 2 == 0 ? new Address("t").withServer("s1") : new Address("t");
                    client.send(target, new OutgoingMessage(
                            ZmqTestKit.body(client.replyAddress() + "|" + msgId + "|p" + i), msgId, 10));
                    assertEquals(msgId + "|s1:p" + i, replies.nextReply(15),
                            "call " + i + "; failures " + replies.errors + "; proxy " + proxy.stats());
                }
                assertTrue(replies.errors.isEmpty(), "calls failed: " + replies.errors);
                attacker.closeInput();
                String rounds = attacker.nextLine(30);
                assertTrue(rounds.startsWith("ROUNDS "), rounds);
                assertTrue(Integer.parseInt(rounds.substring(7)) >= 2, rounds);
            }
            Map<String, Long> st = proxy.stats();
            for (String reason : steal ? List.of("reply_unexpected", "identity_refused", "bad_version", "malformed",
                    "attach_refused", "no_identity", "register_refused")
                    : List.of("reply_unexpected", "identity_refused", "bad_version", "malformed", "attach_refused",
                            "no_identity")) {
                assertTrue(st.getOrDefault(reason, 0L) > 0, reason + " not counted: " + st);
            }
            assertEquals(null, replies.replies.poll(), "no reply beyond the calls' own");
            // The server is still registered: a call after the attack succeeds too.
            String id = ZmqTestKit.call(client, new Address("t").withServer("s1"), "after", 5);
            assertEquals(id + "|s1:after", replies.nextReply(15));
        }
    }
}

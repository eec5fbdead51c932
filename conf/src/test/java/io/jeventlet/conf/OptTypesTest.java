package io.jeventlet.conf;

import static io.jeventlet.conf.Fixtures.invalid;
import static io.jeventlet.conf.Fixtures.withBase;
import static io.jeventlet.conf.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each option type: what it accepts, as HOCON and as a string, and the rule it reports otherwise. */
class OptTypesTest {

    @TempDir
    Path dir;

    private ConfigOpts file(String hocon) {
        return withBase(dir).configFile(write(dir, "agent.conf", hocon)).load();
    }

    private ConfigOpts flag(String key, String value) {
        return withBase(dir).commandLine(key, value).load();
    }

    private String rule(String key, String value) {
        ConfigValidationException e = invalid(withBase(dir).commandLine(key, value));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().getFirst().rule();
    }

    /** Defaults come from reference.conf and are typed. */
    @Test
    void defaultsAreReadFromReferenceConf() {
        ConfigOpts conf = withBase(dir).load();
        assertEquals(30.0, conf.get(TestOpts.REPORT_INTERVAL));
        assertEquals("127.0.0.1", conf.get(TestOpts.HOST));
        assertEquals(8, conf.get(TestOpts.WORKERS));
        assertEquals(0.5, conf.get(TestOpts.RATIO));
        assertEquals(false, conf.get(TestOpts.DEBUG));
        assertEquals(9696, conf.get(TestOpts.PORT));
        assertEquals(64 * 1024L, conf.get(TestOpts.BUFFER));
        assertEquals(TestOpts.Level.INFO, conf.get(TestOpts.LEVEL));
        assertEquals("legacy", conf.get(TestOpts.MODE));
        assertEquals(List.of("a", "b"), conf.get(TestOpts.PLUGINS));
        assertEquals(Map.of("zone", "z1"), conf.get(TestOpts.LABELS));
        assertEquals(60.0, conf.get(TestOpts.RESPONSE_TIMEOUT));
        assertEquals(URI.create("zmq+tcp://127.0.0.1:9501"), conf.get(TestOpts.TRANSPORT_URL));
    }

    /** An option set to null in reference.conf and nowhere else reads as null. */
    @Test
    void unsetOptionIsNull() {
        assertNull(withBase(dir).load().get(TestOpts.NICKNAME));
    }

    /** A string option takes any scalar; an object is rejected. */
    @Test
    void stringOption() {
        assertEquals("42", file("agent.nickname = 42").get(TestOpts.NICKNAME));
        assertEquals("must be a string", invalid(withBase(dir).configFile(write(dir, "a.conf",
                "agent.nickname { a = 1 }"))).problems().getFirst().rule());
    }

    /** Booleans accept true/false, yes/no, on/off and nothing else. */
    @Test
    void boolOption() {
        assertEquals(true, flag("agent.debug", "yes").get(TestOpts.DEBUG));
        assertEquals(false, flag("agent.debug", "OFF").get(TestOpts.DEBUG));
        assertEquals(true, file("agent.debug = true").get(TestOpts.DEBUG));
        assertEquals("must be a boolean (true/false, yes/no, on/off)", rule("agent.debug", "maybe"));
    }

    /** Integers accept digits; decimals and words are rejected; min and max are enforced. */
    @Test
    void intOption() {
        assertEquals(12, flag("agent.workers", "12").get(TestOpts.WORKERS));
        assertEquals("must be an integer", rule("agent.workers", "1.5"));
        assertEquals("must be an integer", rule("agent.workers", "many"));
        assertEquals("must be >= 1", rule("agent.workers", "0"));
        assertEquals("must be <= 64", rule("agent.workers", "65"));
    }

    /** Floats accept decimals and exponents; range is enforced. */
    @Test
    void floatOption() {
        assertEquals(0.25, flag("agent.ratio", "0.25").get(TestOpts.RATIO));
        assertEquals(0.001, flag("agent.ratio", "1e-3").get(TestOpts.RATIO));
        assertEquals("must be a number", rule("agent.ratio", "half"));
        assertEquals("must be <= 1", rule("agent.ratio", "1.5"));
        assertEquals("must be >= 0", rule("agent.ratio", "-0.1"));
    }

    /** Ports are integers from 0 to 65535. */
    @Test
    void portOption() {
        assertEquals(65535, flag("agent.port", "65535").get(TestOpts.PORT));
        assertEquals("must be a port number (an integer from 0 to 65535)", rule("agent.port", "65536"));
        assertEquals("must be a port number (an integer from 0 to 65535)", rule("agent.port", "-1"));
    }

    /** Durations take HOCON units or plain seconds, are read as double seconds, and respect an exclusive minimum. */
    @Test
    void durationOption() {
        assertEquals(0.1, flag("rpc.response_timeout", "100ms").get(TestOpts.RESPONSE_TIMEOUT), 1e-12);
        assertEquals(120.0, flag("rpc.response_timeout", "2m").get(TestOpts.RESPONSE_TIMEOUT));
        assertEquals(5.0, flag("rpc.response_timeout", "5").get(TestOpts.RESPONSE_TIMEOUT));
        assertEquals(2.5, file("rpc.response_timeout = 2.5").get(TestOpts.RESPONSE_TIMEOUT));
        assertEquals(java.time.Duration.ofMillis(2500), file("rpc.response_timeout = 2500ms")
                .getDuration(TestOpts.RESPONSE_TIMEOUT));
        assertEquals("must be > 0", rule("rpc.response_timeout", "0"));
        assertEquals("must be > 0", rule("rpc.response_timeout", "-5s"));
        assertEquals("must be a duration (e.g. 5s, 100ms, 2m) or a number of seconds",
                rule("rpc.response_timeout", "soon"));
    }

    /** Memory sizes take units or plain bytes. */
    @Test
    void memorySizeOption() {
        assertEquals(2L * 1024 * 1024, flag("agent.buffer", "2M").get(TestOpts.BUFFER));
        assertEquals(1000L, flag("agent.buffer", "1000").get(TestOpts.BUFFER));
        assertEquals("must be a memory size (e.g. 512k, 64M, 1GiB) or a number of bytes",
                rule("agent.buffer", "big"));
    }

    /** Enums match constant names ignoring case and list the choices otherwise. */
    @Test
    void enumOption() {
        assertEquals(TestOpts.Level.WARNING, flag("agent.level", "Warning").get(TestOpts.LEVEL));
        assertEquals("must be one of [debug, info, warning]", rule("agent.level", "loud"));
    }

    /** String choices are matched exactly. */
    @Test
    void choicesOption() {
        assertEquals("dvr", flag("agent.mode", "dvr").get(TestOpts.MODE));
        assertEquals("must be one of [legacy, dvr]", rule("agent.mode", "DVR"));
    }

    /** Lists take a HOCON list or a comma-separated string. */
    @Test
    void listOption() {
        assertEquals(List.of("x", "y"), file("agent.plugins = [x, y]").get(TestOpts.PLUGINS));
        assertEquals(List.of("x", "y", "z"), flag("agent.plugins", "x, y,z").get(TestOpts.PLUGINS));
        assertEquals(List.of(), flag("agent.plugins", "").get(TestOpts.PLUGINS));
    }

    /** Maps take a HOCON object or k:v pairs separated by commas. */
    @Test
    void mapOption() {
        assertEquals(Map.of("zone", "z2", "rack", "r1"),
                file("agent.labels { zone = z2, rack = r1 }").get(TestOpts.LABELS));
        assertEquals(Map.of("a", "1", "b", "2"), flag("agent.labels", "a:1,b:2").get(TestOpts.LABELS));
        assertEquals("must be an object of strings, or a string of key:value pairs separated by commas",
                rule("agent.labels", "novalue"));
    }

    /** Host addresses accept IPv4, IPv6 and host names, by syntax only. */
    @Test
    void hostAddressOption() {
        assertEquals("10.0.0.1", flag("agent.host", "10.0.0.1").get(TestOpts.HOST));
        assertEquals("::1", flag("agent.host", "::1").get(TestOpts.HOST));
        assertEquals("node-1.example.org", flag("agent.host", "node-1.example.org").get(TestOpts.HOST));
        assertEquals("must be an IP address or a host name", rule("agent.host", "300.1.1.1"));
        assertEquals("must be an IP address or a host name", rule("agent.host", "bad_host!"));
    }

    /** URLs need a scheme. */
    @Test
    void urlOption() {
        assertEquals(URI.create("inproc://x"), flag("rpc.transport_url", "inproc://x").get(TestOpts.TRANSPORT_URL));
        assertEquals("must be a URL with a scheme (e.g. zmq+tcp://127.0.0.1:9501)",
                rule("rpc.transport_url", "no scheme here"));
    }

    /** Range and choices are checked at declaration: min on a string is a programming error. */
    @Test
    void rangeOnNonNumericTypeIsRejectedAtDeclaration() {
        assertThrows(IllegalStateException.class, () -> Opt.stringOpt("x").min(1));
        assertThrows(IllegalStateException.class, () -> Opt.intOpt("x").choices("1"));
        assertThrows(IllegalArgumentException.class, () -> Opt.intOpt("Bad-Name"));
    }

    /** Reading an option whose group was never registered names the fix. */
    @Test
    void unregisteredOptionIsAProgrammingError() {
        Opt<Integer> stray = new OptGroup("stray", "Not registered.").add(Opt.intOpt("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withBase(dir).load().get(stray));
        assertEquals(true, e.getMessage().contains("stray.x"), e.getMessage());
    }
}

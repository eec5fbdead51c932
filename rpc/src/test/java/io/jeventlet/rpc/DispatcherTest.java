package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** Dispatch by namespace and version, name mapping, argument binding and the access policy. */
class DispatcherTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A plain endpoint: no namespace, version 1.0. */
    public static class Plain {
        public String who(Context ctx) {
            return "plain";
        }

        public String routersUpdated(Context ctx, List<String> routerIds) {
            return "updated " + routerIds;
        }

        @RpcMethod("get_all")
        public String everything(Context ctx, @RpcArg("host_name") String host) {
            return "all on " + host;
        }

        public int twice(Context ctx, int n) {
            return 2 * n;
        }

        public String hello(Context ctx, String name, Router router) {
            return name + "@" + router.id();
        }

        // Not callable: each of these must answer NoSuchMethod.
        public static String staticOne(Context ctx) {
            return "static";
        }

        String packageOne(Context ctx) {
            return "package";
        }

        protected String protectedOne(Context ctx) {
            return "protected";
        }

        public String _hidden(Context ctx) {
            return "hidden";
        }

        public String noContext(String x) {
            return x;
        }

        @Override
        public int hashCode() {
            return 1;
        }

        @Override
        public String toString() {
            return "Plain";
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }
    }

    /** A value an argument converts to. */
    public record Router(String id) {
    }

    /** A subclass: what it inherits from Plain is not callable through it. */
    public static class Child extends Plain {
        public String own(Context ctx) {
            return "own";
        }
    }

    @RpcEndpoint(namespace = "l3", version = "1.3")
    public static class L3 {
        public String who(Context ctx) {
            return "l3";
        }
    }

    @RpcEndpoint(namespace = "l3", version = "1.5")
    public static class L3Newer {
        public String other(Context ctx) {
            return "l3-newer";
        }
    }

    private static RequestMessage req(String method, Map<String, Object> args, String ns, String version) {
        return new RequestMessage(method, args, ns, version, Context.empty(), "u", null, null, null);
    }

    private static Object run(Dispatcher d, String method, Map<String, Object> args) throws Exception {
        return d.dispatch(req(method, args, null, null));
    }

    /** Without namespace or version, the endpoint without @RpcEndpoint serves. */
    @Test
    void defaultNamespaceAndVersion() throws Exception {
        Dispatcher d = new Dispatcher(List.of(new L3(), new Plain()), MAPPER);
        assertEquals("plain", run(d, "who", Map.of()));
    }

    /** A namespaced request goes to the first endpoint of that namespace with a compatible version. */
    @Test
    void namespaceAndCompatibleVersion() throws Exception {
        Dispatcher d = new Dispatcher(List.of(new Plain(), new L3(), new L3Newer()), MAPPER);
        assertEquals("l3", d.dispatch(req("who", Map.of(), "l3", "1.2")));
        assertEquals("l3", d.dispatch(req("who", Map.of(), "l3", "1.3")));
        assertEquals("l3-newer", d.dispatch(req("other", Map.of(), "l3", "1.0")),
                "a compatible endpoint without the method is passed over for the next");
    }

    /** A compatible endpoint without the method is NoSuchMethod; none compatible is UnsupportedVersion. */
    @Test
    void noSuchMethodAndUnsupportedVersion() {
        Dispatcher d = new Dispatcher(List.of(new Plain(), new L3()), MAPPER);
        assertThrows(NoSuchMethod.class, () -> d.dispatch(req("nothing", Map.of(), "l3", "1.1")));
        assertThrows(UnsupportedVersion.class, () -> d.dispatch(req("who", Map.of(), "l3", "1.4")));
        assertThrows(UnsupportedVersion.class, () -> d.dispatch(req("who", Map.of(), "l3", "2.0")));
        assertThrows(UnsupportedVersion.class, () -> d.dispatch(req("who", Map.of(), "other", null)));
        assertThrows(UnsupportedVersion.class, () -> d.dispatch(req("who", Map.of(), null, "1.x")));
    }

    /** snake_case method and argument names reach camelCase Java names; @RpcMethod and @RpcArg name them. */
    @Test
    void nameMapping() throws Exception {
        Dispatcher d = new Dispatcher(List.of(new Plain()), MAPPER);
        assertEquals("updated [a, b]", run(d, "routers_updated", Map.of("router_ids", List.of("a", "b"))));
        assertEquals("updated [c]", run(d, "routersUpdated", Map.of("routerIds", List.of("c"))));
        assertEquals("all on h1", run(d, "get_all", Map.of("host_name", "h1")));
        assertThrows(NoSuchMethod.class, () -> run(d, "everything", Map.of("host_name", "h1")));
    }

    /** Arguments convert to declared types: numbers, records from JSON objects. */
    @Test
    void conversion() throws Exception {
        Dispatcher d = new Dispatcher(List.of(new Plain()), MAPPER);
        assertEquals(8, run(d, "twice", Map.of("n", 4L)));
        assertEquals("x@r7", run(d, "hello", Map.of("name", "x", "router", Map.of("id", "r7"))));
    }

    /** A missing, unknown or unconvertible argument is an IllegalArgumentException naming the parameter. */
    @Test
    void bindingErrorsNameTheParameter() {
        Dispatcher d = new Dispatcher(List.of(new Plain()), MAPPER);
        String missing = assertThrows(IllegalArgumentException.class, () -> run(d, "twice", Map.of())).getMessage();
        assertTrue(missing.contains("missing argument 'n'"), missing);
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> run(d, "twice", Map.of("n", 1, "m", 2))).getMessage();
        assertTrue(unknown.contains("unexpected argument 'm'"), unknown);
        String bad = assertThrows(IllegalArgumentException.class,
                () -> run(d, "twice", Map.of("n", "seven"))).getMessage();
        assertTrue(bad.contains("argument 'n'") && bad.contains("\"seven\""), bad);
        Map<String, Object> nullArg = new java.util.HashMap<>();
        nullArg.put("n", null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> run(d, "twice", nullArg)).getMessage()
                .contains("'n' is null"));
    }

    /** Object's methods (even overridden), static, non-public, _-prefixed and Context-less methods are not callable. */
    @Test
    void onlyDeclaredPublicContextMethodsAreCallable() {
        Dispatcher d = new Dispatcher(List.of(new Plain()), MAPPER);
        for (String m : List.of("getClass", "wait", "notify", "notifyAll", "hashCode", "toString", "equals", "clone",
                "finalize", "staticOne", "packageOne", "protectedOne", "_hidden", "noContext", "static_one")) {
            assertThrows(NoSuchMethod.class, () -> run(d, m, Map.of()), m);
        }
        assertEquals(List.of("get_all", "hello", "routersUpdated", "twice", "who"),
                d.describe().get(Plain.class.getName()));
    }

    /** Methods a class inherits are not callable through it; its own are. */
    @Test
    void inheritedMethodsAreNotCallable() throws Exception {
        Dispatcher d = new Dispatcher(List.of(new Child()), MAPPER);
        assertEquals("own", run(d, "own", Map.of()));
        assertThrows(NoSuchMethod.class, () -> run(d, "who", Map.of()));
    }

    /** Two methods with one wire name are rejected at construction. */
    @Test
    void overloadsAreRejected() {
        class Overloaded {
            public String f(Context ctx) {
                return "";
            }

            public String f(Context ctx, int x) {
                return "";
            }
        }
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new Dispatcher(List.of(new Overloaded()), MAPPER)).getMessage();
        assertTrue(msg.contains("two methods are RPC method 'f'"), msg);
    }

    /** A bad @RpcEndpoint version is rejected at construction, naming it. */
    @Test
    void badEndpointVersionIsRejected() {
        @RpcEndpoint(version = "one")
        class Bad {
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Dispatcher(List.of(new Bad()), MAPPER))
                .getMessage().contains("'one'"));
    }

    /** An endpoint compiled without -parameters is rejected, saying so; with @RpcArg on each parameter it is accepted. */
    @Test
    void endpointWithoutParameterNames(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path src = dir.resolve("NoNames.java");
        Files.writeString(src, """
                public class NoNames {
                    public String f(io.jeventlet.rpc.Context ctx, String routerId) { return routerId; }
                }
                """);
        Path src2 = dir.resolve("Annotated.java");
        Files.writeString(src2, """
                public class Annotated {
                    public String f(io.jeventlet.rpc.Context ctx, @io.jeventlet.rpc.RpcArg("router_id") String a) {
                        return a;
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int rc = javac.run(null, null, null, "-classpath", cp, "-d", dir.toString(), src.toString(), src2.toString());
        assertEquals(0, rc);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Object noNames = loader.loadClass("NoNames").getConstructor().newInstance();
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> new Dispatcher(List.of(noNames), MAPPER)).getMessage();
            assertTrue(msg.contains("-parameters") && msg.contains("@RpcArg") && msg.contains("NoNames"), msg);
            Object annotated = loader.loadClass("Annotated").getConstructor().newInstance();
            Dispatcher d = new Dispatcher(List.of(annotated), MAPPER);
            assertEquals("r1", run(d, "f", Map.of("router_id", "r1")));
        }
        assertTrue(new File(dir.toFile(), "NoNames.class").exists());
    }
}

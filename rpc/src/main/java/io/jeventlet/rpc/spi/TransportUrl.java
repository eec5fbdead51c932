package io.jeventlet.rpc.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed transport URL, oslo's {@code TransportURL}:
 * {@code scheme://[USER[:PASS]@]HOST[:PORT][,[USER[:PASS]@]HOST[:PORT]...]/[VIRTUAL_HOST][?k=v&...]}.
 * For {@code inproc://NAME} the single host is the name. Immutable.
 *
 * <p>{@link #toString()} and every error show passwords as {@code ****}.
 *
 * @param scheme      lower-case scheme, e.g. {@code "rabbit"}
 * @param hosts       at least one host, in the URL's order
 * @param virtualHost the path after the hosts without its leading slash; empty when absent
 * @param query       the query parameters, in order
 */
public record TransportUrl(String scheme, List<Host> hosts, String virtualHost, Map<String, String> query) {

    /** One host of the URL; {@code port} is -1 and {@code username}/{@code password} null when absent. */
    public record Host(String hostname, int port, String username, String password) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            if (username != null) {
                b.append(username);
                if (password != null) {
                    b.append(":****");
                }
                b.append('@');
            }
            b.append(hostname.contains(":") ? "[" + hostname + "]" : hostname);
            if (port >= 0) {
                b.append(':').append(port);
            }
            return b.toString();
        }
    }

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException naming the URL (password masked) and what is wrong
     */
    public static TransportUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("transport URL is empty; expected scheme://HOST[:PORT][,...]/[VHOST]"
                    + " with scheme inproc, zmq or rabbit");
        }
        int sep = url.indexOf("://");
        if (sep <= 0) {
            throw bad(url, "no scheme:// at its start");
        }
        String scheme = url.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
        String rest = url.substring(sep + 3);
        Map<String, String> query = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                query.put(decodeQuery(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decodeQuery(kv.substring(eq + 1)));
            }
            rest = rest.substring(0, q);
        }
        String virtualHost = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            virtualHost = decode(rest.substring(slash + 1));
            rest = rest.substring(0, slash);
        }
        if (rest.isEmpty()) {
            throw bad(url, "it names no host");
        }
        List<Host> hosts = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            hosts.add(parseHost(url, part));
        }
        return new TransportUrl(scheme, Collections.unmodifiableList(hosts), virtualHost,
                Collections.unmodifiableMap(query));
    }

    private static Host parseHost(String url, String part) {
        if (part.isEmpty()) {
            throw bad(url, "it has an empty host between commas");
        }
        String user = null;
        String pass = null;
        int at = part.lastIndexOf('@');
        if (at >= 0) {
            String cred = part.substring(0, at);
            part = part.substring(at + 1);
            int colon = cred.indexOf(':');
            user = decode(colon < 0 ? cred : cred.substring(0, colon));
            pass = colon < 0 ? null : decode(cred.substring(colon + 1));
        }
        String host = part;
        int port = -1;
        if (part.startsWith("[")) {
            int close = part.indexOf(']');
            if (close < 0) {
                throw bad(url, "host '" + part + "' has an unclosed [");
            }
            host = part.substring(1, close);
            String after = part.substring(close + 1);
            if (after.startsWith(":")) {
                port = parsePort(url, after.substring(1));
            } else if (!after.isEmpty()) {
                throw bad(url, "host '" + part + "' has text after ]");
            }
        } else {
            int colon = part.lastIndexOf(':');
            if (colon >= 0) {
                host = part.substring(0, colon);
                port = parsePort(url, part.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw bad(url, "a host name is empty");
        }
        return new Host(host, port, user, pass);
    }

    private static int parsePort(String url, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw bad(url, "port " + port + " is not in 0..65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw bad(url, "port '" + text + "' is not a number");
        }
    }

    /**
     * Percent-decoding of user names, passwords and the virtual host, as
     * oslo's {@code urllib.parse.unquote}: a {@code +} stays a {@code +}
     * (form decoding would make it a space and refuse a password oslo accepts).
     */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Query parameters are form-decoded, as oslo's {@code parse_qs} reads them ({@code +} is a space). */
    private static String decodeQuery(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String url, String why) {
        return new IllegalArgumentException("transport URL '" + mask(url) + "' is malformed: " + why);
    }

    /** {@code url} with every password replaced by {@code ****}. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(://|,)([^:/@,]*):([^@/,]*)@", "$1$2:****@");
    }

    /** The URL with passwords masked. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(scheme).append("://");
        for (int i = 0; i < hosts.size(); i++) {
            b.append(i == 0 ? "" : ",").append(hosts.get(i));
        }
        if (!virtualHost.isEmpty() || !query.isEmpty()) {
            b.append('/').append(virtualHost);
        }
        if (!query.isEmpty()) {
            StringBuilder qs = new StringBuilder();
            query.forEach((k, v) -> qs.append(qs.isEmpty() ? "?" : "&").append(k).append('=').append(v));
            b.append(qs);
        }
        return b.toString();
    }
}

package io.jeventlet.sample.l3;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A router as the plugin describes it in {@code sync_routers}: Neutron's
 * router dict cut down to what the {@link RouterDriver} applies.
 *
 * <p>On the wire it is a JSON object with Neutron's keys: {@code id},
 * {@code revision_number}, {@code updated_at} (ISO-8601, UTC, with
 * milliseconds), {@code _interfaces} ({@code id}, {@code ip_address},
 * {@code cidr}), {@code routes} ({@code destination}, {@code nexthop}) and
 * {@code _floatingips} ({@code id}, {@code floating_ip_address},
 * {@code fixed_ip_address}). {@link #fromWire} checks every field and throws
 * {@link MalformedRouterException} naming the first one that is wrong, so a
 * bad payload never reaches the driver half-applied.
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param id the router's id
 * @param revisionNumber the plugin's revision, raised on every change, at least 1
 * @param updatedAt wall-clock time of the change that made this revision
 * @param interfaces the router's internal ports
 * @param routes its extra routes
 * @param floatingIps the floating IPs NATed by it
 */
public record Router(String id, long revisionNumber, Instant updatedAt, List<Port> interfaces, List<Route> routes,
        List<FloatingIp> floatingIps) {

    /** An internal interface: a port of the router on a subnet. */
    public record Port(String id, String ipAddress, String cidr) {
    }

    /** An extra route. */
    public record Route(String destination, String nexthop) {
    }

    /** A floating IP NATed to a fixed IP behind the router. */
    public record FloatingIp(String id, String floatingIpAddress, String fixedIpAddress) {
    }

    /** Checks that there is an id and that the revision is at least 1; copies the lists. */
    public Router {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (revisionNumber < 1) {
            throw new IllegalArgumentException("revision_number = " + revisionNumber + " is not valid: must be >= 1");
        }
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        floatingIps = List.copyOf(floatingIps);
    }

    /** The router as Neutron's dict: JSON-shaped maps and lists only. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("revision_number", revisionNumber);
        m.put("updated_at", updatedAt.toString());
        List<Object> ports = new ArrayList<>();
        for (Port p : interfaces) {
            ports.add(Map.of("id", p.id(), "ip_address", p.ipAddress(), "cidr", p.cidr()));
        }
        m.put("_interfaces", ports);
        List<Object> rs = new ArrayList<>();
        for (Route r : routes) {
            rs.add(Map.of("destination", r.destination(), "nexthop", r.nexthop()));
        }
        m.put("routes", rs);
        List<Object> fips = new ArrayList<>();
        for (FloatingIp f : floatingIps) {
            fips.add(Map.of("id", f.id(), "floating_ip_address", f.floatingIpAddress(), "fixed_ip_address",
                    f.fixedIpAddress()));
        }
        m.put("_floatingips", fips);
        return m;
    }

    /**
     * The router in a decoded {@code sync_routers} element.
     *
     * @throws MalformedRouterException naming the field, its value and what was expected
     */
    public static Router fromWire(Object wire) {
        Map<?, ?> m = map(wire, "router", "?");
        String id = string(m, "id", "router", "?");
        Object rev = m.get("revision_number");
        if (!(rev instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
            throw new MalformedRouterException(id, "revision_number", rev, "an integer >= 1");
        }
        String at = string(m, "updated_at", "router", id);
        Instant updatedAt;
        try {
            updatedAt = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new MalformedRouterException(id, "updated_at", at, "an ISO-8601 UTC time like 2026-01-02T03:04:05.678Z");
        }
        List<Port> ports = new ArrayList<>();
        for (Object o : list(m, "_interfaces", id)) {
            Map<?, ?> p = map(o, "_interfaces[]", id);
            ports.add(new Port(string(p, "id", "_interfaces[]", id), string(p, "ip_address", "_interfaces[]", id),
                    string(p, "cidr", "_interfaces[]", id)));
        }
        List<Route> routes = new ArrayList<>();
        for (Object o : list(m, "routes", id)) {
            Map<?, ?> r = map(o, "routes[]", id);
            routes.add(new Route(string(r, "destination", "routes[]", id), string(r, "nexthop", "routes[]", id)));
        }
        List<FloatingIp> fips = new ArrayList<>();
        for (Object o : list(m, "_floatingips", id)) {
            Map<?, ?> f = map(o, "_floatingips[]", id);
            fips.add(new FloatingIp(string(f, "id", "_floatingips[]", id),
                    string(f, "floating_ip_address", "_floatingips[]", id),
                    string(f, "fixed_ip_address", "_floatingips[]", id)));
        }
        return new Router(id, ((Number) rev).longValue(), updatedAt, ports, routes, fips);
    }

    private static Map<?, ?> map(Object o, String what, String id) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new MalformedRouterException(id, what, o, "a JSON object");
        }
        return m;
    }

    private static List<?> list(Map<?, ?> m, String key, String id) {
        Object o = m.get(key);
        if (!(o instanceof List<?> l)) {
            throw new MalformedRouterException(id, key, o, "a JSON list");
        }
        return l;
    }

    private static String string(Map<?, ?> m, String key, String where, String id) {
        Object o = m.get(key);
        if (!(o instanceof String s) || s.isEmpty()) {
            throw new MalformedRouterException(id, where.equals("router") ? key : where + "." + key, o,
                    "a non-empty string");
        }
        return s;
    }
}

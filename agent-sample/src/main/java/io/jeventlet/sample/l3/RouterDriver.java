package io.jeventlet.sample.l3;

import io.jeventlet.Eventlet;
import io.jeventlet.Tpool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies routers to a simulated host: an in-memory model of what Neutron's
 * {@code RouterInfo.process()} does with {@code ip netns}, {@code ip addr},
 * {@code ip route} and {@code iptables-restore} — a namespace per router
 * ({@code qrouter-<id>}), its interfaces, extra routes and floating IPs, and
 * the NAT rules rendered from them.
 *
 * <p>Guarantees: {@link #apply} makes the router's namespace match the
 * router exactly, by difference (only what changed costs an operation), so
 * applying the same router twice does nothing the second time and an apply
 * cut short (a killed worker) is completed by the next one. Every namespace,
 * interface, route or floating-IP operation costs {@code operationLatency}
 * seconds on the hub's clock (a cooperative sleep: other green threads run
 * meanwhile), and an apply that changes anything costs {@code routerLatency}
 * more (a fixed per-router cost; 0 by default). Rendering and loading the NAT rules is CPU work that would
 * hold the carrier, as an {@code iptables-restore} subprocess would, so it
 * runs on {@link Tpool} when {@code offload} is on. (Off on a virtual-clock
 * hub: while a Tpool call is out such a hub has nothing to run and jumps
 * its clock to the next timer, so virtual time would race ahead of the work.)
 *
 * <p>Thread rule: Hub-confined (the agent's hub); one router is applied by
 * one green thread at a time (the agent's queue guarantees it).
 */
public final class RouterDriver {

    /** What the driver has set up for one router. */
    private static final class Namespace {
        final Map<String, Router.Port> interfaces = new HashMap<>();
        final Set<Router.Route> routes = new HashSet<>();
        final Map<String, Router.FloatingIp> floatingIps = new HashMap<>();
        String natDigest = "";
        long revision;
    }

    private final double operationLatency;
    private final double routerLatency;
    private final boolean offload;
    private final Map<String, Namespace> namespaces = new HashMap<>();
    private long operations;
    private long natLoads;
    /** Where apply's time goes (its latency, its NAT load, the rest); a private one until the agent sets its own. */
    private WorkerPhases phases = new WorkerPhases(L3Agent.ROUTER_PROCESS_GREENLET_MAX, System::nanoTime);

    /**
     * A driver whose every operation takes {@code operationLatency} seconds
     * (0 for none), loading NAT rules on {@link Tpool} if {@code offload}.
     */
    public RouterDriver(double operationLatency, boolean offload) {
        this(operationLatency, 0, offload);
    }

    /**
     * As above, and every {@link #apply} that changes the router also takes
     * {@code routerLatency} seconds (a cooperative sleep), whatever its
     * operations: a fixed per-router cost.
     */
    public RouterDriver(double operationLatency, double routerLatency, boolean offload) {
        if (!(routerLatency >= 0) || Double.isInfinite(routerLatency)) {
            throw new IllegalArgumentException("routerLatency = " + routerLatency
                    + " is not valid: must be >= 0 and finite");
        }
        this.routerLatency = routerLatency;
        this.offload = offload;
        if (!(operationLatency >= 0) || Double.isInfinite(operationLatency)) {
            throw new IllegalArgumentException("operationLatency = " + operationLatency
                    + " is not valid: must be >= 0 and finite");
        }
        this.operationLatency = operationLatency;
    }

    /** The namespace name of a router, as Neutron names it. */
    public static String namespaceOf(String routerId) {
        return "qrouter-" + routerId;
    }

    /** Makes the router's namespace match {@code router}; blocks this green thread for its operations. */
    public void apply(Router router) {
        long start = phases.now();
        long[] spent = new long[2]; // this apply's own latency and NAT nanoseconds (others' run meanwhile)
        try {
            applyTimed(router, spent);
        } finally {
            long latencyNanos = spent[0];
            long natNanos = spent[1];
            phases.add(WorkerPhases.Phase.APPLY_LATENCY, latencyNanos);
            phases.add(WorkerPhases.Phase.APPLY_NAT, natNanos);
            phases.add(WorkerPhases.Phase.APPLY_OTHER, phases.now() - start - latencyNanos - natNanos);
        }
    }

    private void applyTimed(Router router, long[] spent) {
        String ns = namespaceOf(router.id());
        long opsBefore = operations;
        Namespace n = namespaces.get(ns);
        if (n == null) {
            operation();
            n = new Namespace();
            namespaces.put(ns, n);
        }
        Map<String, Router.Port> ports = new LinkedHashMap<>();
        router.interfaces().forEach(p -> ports.put(p.id(), p));
        for (String id : Set.copyOf(n.interfaces.keySet())) {
            if (!n.interfaces.get(id).equals(ports.get(id))) {
                operation();
                n.interfaces.remove(id);
            }
        }
        for (Router.Port p : ports.values()) {
            if (!p.equals(n.interfaces.get(p.id()))) {
                operation();
                n.interfaces.put(p.id(), p);
            }
        }
        Set<Router.Route> routes = new HashSet<>(router.routes());
        for (Router.Route r : Set.copyOf(n.routes)) {
            if (!routes.contains(r)) {
                operation();
                n.routes.remove(r);
            }
        }
        for (Router.Route r : routes) {
            if (!n.routes.contains(r)) {
                operation();
                n.routes.add(r);
            }
        }
        Map<String, Router.FloatingIp> fips = new LinkedHashMap<>();
        router.floatingIps().forEach(f -> fips.put(f.id(), f));
        boolean natChanged = false;
        for (String id : Set.copyOf(n.floatingIps.keySet())) {
            if (!n.floatingIps.get(id).equals(fips.get(id))) {
                operation();
                n.floatingIps.remove(id);
                natChanged = true;
            }
        }
        for (Router.FloatingIp f : fips.values()) {
            if (!f.equals(n.floatingIps.get(f.id()))) {
                operation();
                n.floatingIps.put(f.id(), f);
                natChanged = true;
            }
        }
        if (routerLatency > 0 && (operations > opsBefore || natChanged || n.natDigest.isEmpty())) {
            long start = phases.now();
            try {
                Eventlet.sleep(routerLatency);
            } finally {
                spent[0] = phases.now() - start;
            }
        }
        if (natChanged || n.natDigest.isEmpty()) {
            Map<String, Router.FloatingIp> snapshot = new TreeMap<>(n.floatingIps);
            long start = phases.now();
            try {
                n.natDigest = offload ? Tpool.execute(() -> loadNatRules(router.id(), snapshot))
                        : loadNatRules(router.id(), snapshot);
            } finally {
                spent[1] = phases.now() - start;
            }
            natLoads++;
        }
        n.revision = router.revisionNumber();
    }

    /** Removes the router's namespace and everything in it; nothing happens for a router not set up. */
    public void remove(String routerId) {
        Namespace n = namespaces.get(namespaceOf(routerId));
        if (n == null) {
            return;
        }
        for (String id : Set.copyOf(n.floatingIps.keySet())) {
            operation();
            n.floatingIps.remove(id);
        }
        for (String id : Set.copyOf(n.interfaces.keySet())) {
            operation();
            n.interfaces.remove(id);
        }
        operation();
        namespaces.remove(namespaceOf(routerId));
    }

    /** The routers set up now, by id, with the revision each was last applied at. */
    public Map<String, Long> applied() {
        Map<String, Long> out = new TreeMap<>();
        namespaces.forEach((ns, n) -> out.put(ns.substring("qrouter-".length()), n.revision));
        return Collections.unmodifiableMap(out);
    }

    /** True if the router's namespace exists. */
    public boolean hasRouter(String routerId) {
        return namespaces.containsKey(namespaceOf(routerId));
    }

    /** Interfaces, routes and floating IPs set up for a router now, or null if it has no namespace. */
    public int[] counts(String routerId) {
        Namespace n = namespaces.get(namespaceOf(routerId));
        return n == null ? null : new int[] {n.interfaces.size(), n.routes.size(), n.floatingIps.size()};
    }

    /** Operations done so far (each cost {@code operationLatency}). */
    public long operations() {
        return operations;
    }

    /**
     * Adds each apply's time to {@code phases} from now on: the per-router
     * latency's sleep (with the hub's lag in waking it), the NAT load (the
     * Tpool round trip when offloaded) and the rest.
     */
    public void phases(WorkerPhases phases) {
        this.phases = phases;
    }

    /** NAT tables rendered and loaded so far. */
    public long natLoads() {
        return natLoads;
    }

    private void operation() {
        operations++;
        if (operationLatency > 0) {
            Eventlet.sleep(operationLatency);
        }
    }

    /** Renders the NAT table of a router and returns its digest: what iptables-restore would be fed. */
    private static String loadNatRules(String routerId, Map<String, Router.FloatingIp> fips) {
        StringBuilder rules = new StringBuilder("*nat\n:neutron-l3-agent-PREROUTING - [0:0]\n");
        for (Router.FloatingIp f : fips.values()) {
            rules.append("-A neutron-l3-agent-PREROUTING -d ").append(f.floatingIpAddress())
                    .append("/32 -j DNAT --to-destination ").append(f.fixedIpAddress()).append('\n');
            rules.append("-A neutron-l3-agent-float-snat -s ").append(f.fixedIpAddress())
                    .append("/32 -j SNAT --to-source ").append(f.floatingIpAddress()).append('\n');
        }
        rules.append("COMMIT\n# ").append(namespaceOf(routerId)).append('\n');
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(rules.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}

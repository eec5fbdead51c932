package io.jeventlet.sample.l3;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes the plugin simulator's routers and their changes: a new router has
 * one to three interfaces; a change adds or removes a floating IP or an
 * extra route, or adds an interface, and raises the revision. Every change
 * is stamped with the wall clock ({@code updated_at}), from which the agents
 * measure how long it took to reach them.
 *
 * <p>Guarantees: the same {@link Random} sequence makes the same routers and
 * changes; ids ({@code router-N}, {@code port-N}, {@code fip-N}) are never reused.
 *
 * <p>Thread rule: Hub-confined (the simulator's hub).
 */
final class RouterGenerator {
    private final Random random;
    private final WallClock wallClock;
    private long nextId;
    private long nextPort;

    RouterGenerator(Random random, WallClock wallClock) {
        this.random = random;
        this.wallClock = wallClock;
    }

    /** A new router at revision 1. */
    Router newRouter() {
        String id = "router-" + (++nextId);
        List<Router.Port> ports = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            ports.add(newPort());
        }
        return new Router(id, 1, wallClock.now(), ports, List.of(), List.of());
    }

    private Router.Port newPort() {
        long n = ++nextPort;
        int a = (int) (n / 250 % 250);
        int b = (int) (n % 250);
        return new Router.Port("port-" + n, "10." + a + "." + b + ".1", "10." + a + "." + b + ".0/24");
    }

    /** The router after one random change: a floating IP, a route or an interface added or removed. */
    Router changed(Router r) {
        List<Router.Port> ports = new ArrayList<>(r.interfaces());
        List<Router.Route> routes = new ArrayList<>(r.routes());
        List<Router.FloatingIp> fips = new ArrayList<>(r.floatingIps());
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                Router.Port p = ports.get(random.nextInt(ports.size()));
                fips.add(new Router.FloatingIp("fip-" + (++nextPort), "172.24." + (nextPort / 250 % 250) + "."
                        + (nextPort % 250), p.ipAddress().replaceFirst("\\.1$", "." + (10 + random.nextInt(200)))));
            }
            case 2 -> {
                if (!fips.isEmpty()) {
                    fips.remove(random.nextInt(fips.size()));
                }
            }
            case 3 -> routes.add(new Router.Route("192.168." + random.nextInt(250) + ".0/24",
                    ports.get(random.nextInt(ports.size())).ipAddress().replaceFirst("\\.1$", ".254")));
            case 4 -> {
                if (!routes.isEmpty()) {
                    routes.remove(random.nextInt(routes.size()));
                }
            }
            default -> ports.add(newPort());
        }
        return new Router(r.id(), r.revisionNumber() + 1, wallClock.now(), ports, routes, fips);
    }
}

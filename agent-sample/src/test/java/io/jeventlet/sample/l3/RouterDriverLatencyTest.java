package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jeventlet.VirtualHubs;
import io.jeventlet.hubs.Hub;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's per-router latency ({@code router_driver.router_latency}), on a virtual clock. */
class RouterDriverLatencyTest {

    private static Router router(long revision, int ports) {
        List<Router.Port> p = new java.util.ArrayList<>();
        for (int i = 0; i < ports; i++) {
            p.add(new Router.Port("p" + i, "10.0." + i + ".1", "10.0." + i + ".0/24"));
        }
        return new Router("r1", revision, Instant.EPOCH, p, List.of(), List.of());
    }

    /** An apply that changes the router costs its operations plus the router latency; an unchanged one costs nothing. */
    @Test
    void routerLatencyIsPaidOncePerChangingApply() throws Exception {
        VirtualHubs.on(() -> {
            RouterDriver driver = new RouterDriver(0.01, 0.1, false);
            double t0 = Hub.get().clock();
            driver.apply(router(1, 2));
            assertEquals(0.13, Hub.get().clock() - t0, 1e-9, "namespace + 2 interfaces + the router latency");
            double t1 = Hub.get().clock();
            driver.apply(router(1, 2));
            assertEquals(0, Hub.get().clock() - t1, 1e-9, "nothing changed, nothing paid");
        });
    }

    /** A negative or infinite router latency is refused, naming the value. */
    @Test
    void invalidRouterLatencyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RouterDriver(0, -1, false));
        assertEquals("routerLatency = -1.0 is not valid: must be >= 0 and finite", e.getMessage());
    }
}

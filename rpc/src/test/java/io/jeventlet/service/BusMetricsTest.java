package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jeventlet.rpc.spi.TransportEvent;
import io.jeventlet.rpc.spi.TransportEvents;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Bus-level events become jeventlet_rpc_{reconnects,dropped}_total and jeventlet_rpc_blocked on the global registry. */
class BusMetricsTest {

    /** Reconnects count by bus, drops by bus and reason; blocked reads 1 between BLOCKED and UNBLOCKED. */
    @Test
    void transportEventsAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            Operability.bindTransportEvents();
            TransportEvents events = new TransportEvents("testbus", "testbus://x");
            events.reconnected("back");
            events.reconnected("back again");
            events.dropped("duplicate_request", "seen before");
            events.dropped("invalid_reply", "garbage");
            events.dropped("invalid_reply", "garbage");
            events.emit(TransportEvent.Kind.BLOCKED, "low disk", "");
            assertEquals(2, registry.get(OpsMetrics.RECONNECTS).tag("bus", "testbus").counter().count());
            assertEquals(1, registry.get(OpsMetrics.DROPPED).tags("bus", "testbus", "reason", "duplicate_request")
                    .counter().count());
            assertEquals(2, registry.get(OpsMetrics.DROPPED).tags("bus", "testbus", "reason", "invalid_reply")
                    .counter().count());
            assertEquals(1, registry.get(OpsMetrics.BLOCKED).tag("bus", "testbus").gauge().value());
            events.emit(TransportEvent.Kind.UNBLOCKED, "", "");
            assertEquals(0, registry.get(OpsMetrics.BLOCKED).tag("bus", "testbus").gauge().value());
        } finally {
            Metrics.removeRegistry(registry);
        }
    }
}

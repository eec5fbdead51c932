package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import io.jeventlet.hubs.Hub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify datagrams, received on a real unix datagram socket bound by the test. */
class SystemdNotifierTest {
    @TempDir
    Path dir;

    /** Each notification is one datagram of KEY=VALUE lines at a path socket; RELOADING carries MONOTONIC_USEC. */
    @Test
    void notificationsReachAPathSocket() throws Exception {
        String address = dir.resolve("notify.sock").toString();
        try (UnixDatagram listener = UnixDatagram.bind(address);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", address), 1)) {
            assertTrue(n.enabled());
            n.ready("Running 1 service instance(s)");
            assertEquals("READY=1\nSTATUS=Running 1 service instance(s)", receive(listener));
            long before = System.nanoTime() / 1000;
            n.reloading(null);
            String reloading = receive(listener);
            assertTrue(reloading.startsWith("RELOADING=1\nMONOTONIC_USEC="), reloading);
            long usec = Long.parseLong(reloading.substring(reloading.indexOf('=', 12) + 1).trim());
            assertTrue(usec >= before && usec <= System.nanoTime() / 1000, reloading);
            n.stopping("SIGTERM");
            assertEquals("STOPPING=1\nSTATUS=SIGTERM", receive(listener));
            n.status("a line\nand another");
            assertEquals("STATUS=a line and another", receive(listener));
        }
    }

    /** An {@code @name} address is Linux's abstract namespace, as systemd writes it. */
    @Test
    void notificationsReachAnAbstractSocket() throws Exception {
        String address = "@jeventlet-test-" + UUID.randomUUID();
        try (UnixDatagram listener = UnixDatagram.bind(address);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", address), 1)) {
            n.ready(null);
            assertEquals("READY=1", receive(listener));
        }
    }

    /** Without NOTIFY_SOCKET nothing is sent, and nothing fails. */
    @Test
    void unsetSendsNothing() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(), 1)) {
            assertFalse(n.enabled());
            n.ready("x");
            n.startWatchdog(() -> true);
            assertEquals(0.0, n.watchdogIntervalSeconds());
        }
    }

    /** An absent listener is not an error for the caller. */
    @Test
    void absentListenerDoesNotThrow() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", dir.resolve("nobody.sock").toString()), 1)) {
            n.ready("x");
            n.stopping("y");
        }
    }

    /**
     * WATCHDOG=1 comes every half of WATCHDOG_USEC while the check says the
     * hubs are responsive, and stops while it says not.
     */
    @Test
    void watchdogPingsOnlyWhileResponsive() throws Exception {
        String address = dir.resolve("wd.sock").toString();
        AtomicBoolean responsive = new AtomicBoolean(true);
        try (UnixDatagram listener = UnixDatagram.bind(address);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(
                        Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "200000", "WATCHDOG_PID", "7"), 7)) {
            assertEquals(0.1, n.watchdogIntervalSeconds(), 1e-9);
            n.startWatchdog(responsive::get);
            assertEquals("WATCHDOG=1", receive(listener));
            assertEquals("WATCHDOG=1", receive(listener));
            responsive.set(false);
            drain(listener);
            assertNull(listener.receive(0.5), "a watchdog ping while unresponsive");
            responsive.set(true);
            assertEquals("WATCHDOG=1", receive(listener));
        }
    }

    /** WATCHDOG_PID naming another process means the watchdog is not this process's. */
    @Test
    void watchdogOfAnotherProcessIsNotPinged() throws Exception {
        String address = dir.resolve("wd2.sock").toString();
        try (UnixDatagram listener = UnixDatagram.bind(address);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(
                        Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "200000", "WATCHDOG_PID", "8"), 7)) {
            n.startWatchdog(() -> true);
            assertNull(listener.receive(0.4));
        }
    }

    /**
     * The hub monitor calls a hub unresponsive while a green thread holds it
     * past its blocking-detection limit, and responsive again once it yields.
     */
    @Test
    void hubHeldPastItsLimitIsUnresponsive() throws Exception {
        Hub hub = Hub.get();
        HubMonitor monitor = new HubMonitor(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        monitor.attach(hub, "test");
        try {
            hub.setBlockingDetection(0.2);
            AtomicBoolean sawUnresponsive = new AtomicBoolean();
            GreenThread<Void> hog = Eventlet.spawn(() -> {
                long end = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < end && !sawUnresponsive.get()) {
                    // Holds the hub without yielding; another OS thread watches the monitor meanwhile.
                    if (!monitor.responsive(10)) {
                        sawUnresponsive.set(true);
                    }
                    Thread.onSpinWait();
                }
            });
            hog.await();
            hub.setBlockingDetection(0);
            assertTrue(sawUnresponsive.get(), "a hub held for 3 s stayed responsive");
            Eventlet.sleep(0);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!monitor.responsive(10) && System.nanoTime() < deadline) {
                Eventlet.sleep(0.01);
            }
            assertTrue(monitor.responsive(10));
        } finally {
            monitor.detach(hub);
        }
    }

    private static String receive(UnixDatagram listener) throws Exception {
        byte[] d = listener.receive(10);
        assertTrue(d != null, "no datagram within 10 s");
        return new String(d, StandardCharsets.UTF_8);
    }

    private static void drain(UnixDatagram listener) throws Exception {
        for (int i = 0; i < 10 && listener.receive(0.15) != null; i++) {
            // pings sent before the flip
        }
    }
}

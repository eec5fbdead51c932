package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.jeventlet.Eventlet;
import io.jeventlet.LogCapture;
import io.jeventlet.VirtualHubs;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.hubs.Hub;
import io.jeventlet.rpc.RpcOpts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceLauncher in one JVM: where services run, stop, failure, timeout, reload and report (signals are entered directly). */
class ServiceLauncherTest {

    @TempDir
    Path dir;

    private static ConfigOpts.Builder isolated() {
        return ConfigOpts.builder().systemProperties(Map.of()).environment(Map.of());
    }

    private static ConfigOpts conf(double gracefulTimeout) {
        return isolated().override(ServiceOpts.GRACEFUL_SHUTDOWN_TIMEOUT, gracefulTimeout).load();
    }

    /** A service that records the hub it was made and started on, and counts stops and resets. */
    static class Recording extends Service {
        static final Set<Hub> MADE_ON = ConcurrentHashMap.newKeySet();
        final Hub madeOn = Hub.get();
        volatile Hub startedOn;
        final AtomicInteger stops = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();

        Recording() {
            MADE_ON.add(madeOn);
        }

        @Override
        public void start() {
            startedOn = Hub.get();
            threadGroup().addThread(() -> {
                Eventlet.sleep(0.01);
                return null;
            });
        }

        @Override
        public void stop(boolean graceful) {
            stops.incrementAndGet();
            super.stop(graceful);
        }

        @Override
        public void reset() {
            resets.incrementAndGet();
        }
    }

    /** Runs {@code launcher.await()} on a new platform thread and returns its status, with that thread's own hub. */
    private static CompletableFuture<Integer> awaitOnPlatformThread(ServiceLauncher launcher, CompletableFuture<Hub> hub) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Thread.ofPlatform().name("launcher-test-main").start(() -> {
            try {
                hub.complete(Hub.get());
                status.complete(launcher.await());
            } catch (Throwable t) {
                status.completeExceptionally(t);
            }
        });
        return status;
    }

    private static void poll(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    /** launchService(service) runs the service on the hub of the thread that calls await(); stop() ends await() with 0. */
    @Test
    void serviceRunsOnTheAwaitingThreadsHub() throws Exception {
        ServiceLauncher launcher = new ServiceLauncher(conf(5));
        Recording service = new Recording();
        launcher.launchService(service);
        CompletableFuture<Hub> hub = new CompletableFuture<>();
        CompletableFuture<Integer> status = awaitOnPlatformThread(launcher, hub);
        poll(() -> service.startedOn != null, "the service to start");
        launcher.stop();
        assertEquals(ServiceLauncher.EXIT_OK, status.get(20, TimeUnit.SECONDS));
        assertSame(hub.get(), service.startedOn);
        assertEquals(1, service.stops.get());
    }

    /**
     * launchService(factory, n) makes n instances, each by the factory on its own hub (not the awaiting thread's),
     * whose carriers are started apart (three spacers each, ended with the worker).
     */
    @Test
    void workersRunOnTheirOwnHubs() throws Exception {
        Set<Thread> spacersBefore = spacers();
        ServiceLauncher launcher = new ServiceLauncher(conf(5));
        List<Recording> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        launcher.launchService(() -> {
            Recording r = new Recording();
            made.add(r);
            return r;
        }, 3);
        CompletableFuture<Hub> hub = new CompletableFuture<>();
        CompletableFuture<Integer> status = awaitOnPlatformThread(launcher, hub);
        poll(() -> made.size() == 3 && made.stream().allMatch(r -> r.startedOn != null), "3 workers to start");
        // A carrier's last spacer starts just after the carrier, which may have started its service already.
        poll(() -> newSpacers(spacersBefore).size() >= 9, "the spacers of 3 worker carriers");
        Set<Thread> workerSpacers = newSpacers(spacersBefore);
        assertEquals(9, workerSpacers.size(), "spacers beside the 3 worker carriers: " + workerSpacers);
        launcher.stop();
        assertEquals(ServiceLauncher.EXIT_OK, status.get(20, TimeUnit.SECONDS));
        for (Thread spacer : workerSpacers) {
            spacer.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(spacer.isAlive(), spacer + " outlived its worker");
        }
        Set<Hub> hubs = new HashSet<>();
        for (Recording r : made) {
            assertSame(r.madeOn, r.startedOn, "the factory ran on another hub than the instance");
            assertNotSame(hub.get(), r.startedOn);
            hubs.add(r.startedOn);
            assertEquals(1, r.stops.get());
        }
        assertEquals(3, hubs.size(), "workers shared a hub");
    }

    /** A graceful stop waits for the service's threads: await() returns 0 when the last one ends (virtual clock). */
    @Test
    void gracefulStopWaitsForTheServiceThreads() throws Exception {
        VirtualHubs.on(() -> {
            ServiceLauncher launcher = new ServiceLauncher(conf(60));
            boolean[] finished = {false};
            launcher.launchService(new Service() {
                @Override
                public void start() {
                    threadGroup().addThread(() -> {
                        Eventlet.sleep(30);
                        finished[0] = true;
                        return null;
                    });
                }
            });
            Eventlet.spawnAfter(1, () -> {
                launcher.stop();
                return null;
            });
            assertEquals(ServiceLauncher.EXIT_OK, launcher.await());
            assertTrue(finished[0]);
            assertEquals(30.0, Hub.get().clock(), 1e-6);
        });
    }

    /** A service that outlasts service.graceful_shutdown_timeout makes await() return non-zero then, naming what still runs. */
    @Test
    void shutdownTimeoutReturnsFailureAndLogsWhatStillRuns() throws Exception {
        try (LogCapture log = new LogCapture(ServiceLauncher.class, Level.INFO)) {
            VirtualHubs.on(() -> {
                ServiceLauncher launcher = new ServiceLauncher(conf(60));
                launcher.launchService(new Stubborn());
                Eventlet.spawnAfter(1, () -> {
                    launcher.stop();
                    return null;
                });
                assertEquals(ServiceLauncher.EXIT_FAILURE, launcher.await());
                assertEquals(61.0, Hub.get().clock(), 1e-6);
            });
            String text = log.text();
            assertTrue(text.contains("Graceful shutdown timeout (60.000 s) exceeded; still running"), text);
            assertTrue(text.contains("service 1 [STOPPING]") && text.contains("stubbornLoop"), text);
        }
    }

    /** A service whose only thread ignores graceful stops: it sleeps for hours. */
    static final class Stubborn extends Service {
        @Override
        public void start() {
            threadGroup().addThread(this::stubbornLoop);
        }

        private Object stubbornLoop() {
            Eventlet.sleep(100_000);
            return null;
        }
    }

    /** A second TERM during the graceful wait stops at once: the threads are killed and the status is non-zero. */
    @Test
    void secondTermStopsAtOnce() throws Exception {
        VirtualHubs.on(() -> {
            ServiceLauncher launcher = new ServiceLauncher(conf(60));
            launcher.launchService(new Stubborn());
            Eventlet.spawnAfter(1, () -> {
                launcher.signal("TERM");
                Eventlet.sleep(2);
                launcher.signal("TERM");
                return null;
            });
            assertEquals(ServiceLauncher.EXIT_FAILURE, launcher.await());
            assertEquals(3.0, Hub.get().clock(), 1e-6);
        });
    }

    /** A worker that fails to start is logged, every other instance is stopped, and await() returns non-zero. */
    @Test
    void failedWorkerStopsTheOthers() throws Exception {
        try (LogCapture log = new LogCapture(ServiceRunner.class, Level.INFO)) {
            ServiceLauncher launcher = new ServiceLauncher(conf(5));
            AtomicInteger count = new AtomicInteger();
            List<Recording> made = new java.util.concurrent.CopyOnWriteArrayList<>();
            launcher.launchService(() -> {
                Recording r = new Recording() {
                    final int n = count.incrementAndGet();

                    @Override
                    public void start() {
                        if (n == 2) {
                            throw new IllegalStateException("instance 2 cannot start");
                        }
                        super.start();
                    }
                };
                made.add(r);
                return r;
            }, 3);
            int status = awaitOnPlatformThread(launcher, new CompletableFuture<>()).get(20, TimeUnit.SECONDS);
            assertEquals(ServiceLauncher.EXIT_FAILURE, status);
            // An instance whose worker had not run yet when the failure stopped everything is never made.
            assertTrue(made.size() >= 2, "the failing instance was not made");
            for (Recording r : made) {
                assertEquals(1, r.stops.get(), "every instance made is stopped (the failed one killed)");
            }
            assertTrue(log.errors().stream().anyMatch(l -> l.contains("failed") && l.contains("instance 2 cannot start")),
                    log.text());
        }
    }

    /** A factory that returns null fails its worker with a message saying so; await() returns non-zero. */
    @Test
    void nullFromTheFactoryIsAFailureNamedAsSuch() throws Exception {
        try (LogCapture log = new LogCapture(ServiceRunner.class, Level.INFO)) {
            ServiceLauncher launcher = new ServiceLauncher(conf(5));
            launcher.launchService(() -> null, 1);
            assertEquals(ServiceLauncher.EXIT_FAILURE,
                    awaitOnPlatformThread(launcher, new CompletableFuture<>()).get(20, TimeUnit.SECONDS));
            assertTrue(log.errors().stream().anyMatch(l -> l.contains("the service factory of worker 1 returned null")),
                    log.text());
        }
    }

    /** An invalid service.graceful_shutdown_timeout is a configuration error naming the option, the value and the rule. */
    @Test
    void invalidShutdownTimeoutIsRejected() {
        io.jeventlet.conf.ConfigValidationException e = assertThrows(io.jeventlet.conf.ConfigValidationException.class,
                () -> isolated().commandLine("service.graceful_shutdown_timeout", "0s").load());
        assertTrue(e.getMessage().contains("service.graceful_shutdown_timeout") && e.getMessage().contains("> 0"),
                e.getMessage());
    }

    /** stop() before await() makes await() stop at once with status 0; the service is never made. */
    @Test
    void stopBeforeAwait() throws Exception {
        ServiceLauncher launcher = new ServiceLauncher(conf(5));
        AtomicInteger made = new AtomicInteger();
        launcher.launchService(() -> {
            made.incrementAndGet();
            return new Recording();
        }, 2);
        launcher.stop();
        try (LogCapture log = new LogCapture(ServiceLauncher.class, Level.INFO); LogCapture runner = new LogCapture(ServiceRunner.class, Level.INFO)) {
            assertEquals(ServiceLauncher.EXIT_OK, awaitOnPlatformThread(launcher, new CompletableFuture<>())
                    .get(20, TimeUnit.SECONDS), () -> log.text() + runner.text());
        }
        assertEquals(0, made.get());
    }

    /** Bad arguments: no workers, a launch after await(), a second await(). */
    @Test
    void badUseIsRejected() throws Exception {
        ServiceLauncher launcher = new ServiceLauncher(conf(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> launcher.launchService(Recording::new, 0));
        assertTrue(e.getMessage().contains("workers = 0"), e.getMessage());
        launcher.stop();
        assertEquals(0, awaitOnPlatformThread(launcher, new CompletableFuture<>()).get(20, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> launcher.launchService(new Recording()));
        assertThrows(IllegalStateException.class, launcher::await);
    }

    /** SIGHUP reloads the files and resets every service; a reload that fails validation changes nothing and resets nothing. */
    @Test
    void reloadResetsEveryServiceAndAFailedOneChangesNothing() throws Exception {
        Path file = dir.resolve("service.conf");
        Files.writeString(file, "service.graceful_shutdown_timeout = 5s\n");
        ConfigOpts conf = isolated().configFile(file).load();
        try (LogCapture log = new LogCapture(ServiceLauncher.class, Level.INFO)) {
            ServiceLauncher launcher = new ServiceLauncher(conf);
            List<Recording> made = new java.util.concurrent.CopyOnWriteArrayList<>();
            launcher.launchService(() -> {
                Recording r = new Recording();
                made.add(r);
                return r;
            }, 2);
            CompletableFuture<Integer> status = awaitOnPlatformThread(launcher, new CompletableFuture<>());
            poll(() -> log.text().contains("Launcher started 2"), "the launcher to start");

            Files.writeString(file, "service.graceful_shutdown_timeout = 7s\n");
            launcher.signal("HUP");
            poll(() -> made.stream().allMatch(r -> r.resets.get() == 1), "both services to reset");
            assertEquals(7.0, conf.get(ServiceOpts.GRACEFUL_SHUTDOWN_TIMEOUT));
            poll(() -> log.text().contains("Reloaded the configuration"), "the reload line");

            Files.writeString(file, "service.graceful_shutdown_timeout = -1s\n");
            launcher.signal("HUP");
            poll(() -> log.errors().stream().anyMatch(l -> l.contains("Reload failed")), "the failed reload");
            assertTrue(log.text().contains("service.graceful_shutdown_timeout"), log.text());
            assertEquals(7.0, conf.get(ServiceOpts.GRACEFUL_SHUTDOWN_TIMEOUT));
            launcher.stop();
            assertEquals(0, status.get(20, TimeUnit.SECONDS));
            assertTrue(made.stream().allMatch(r -> r.resets.get() == 1), "a failed reload reset a service");
        }
    }

    /** SIGUSR2 logs a report with every hub's green threads, the OS threads, counters and the configuration with secrets masked. */
    @Test
    void reportShowsEveryHubAndMasksSecrets() throws Exception {
        ConfigOpts conf = isolated().override(RpcOpts.TRANSPORT_URL, "rabbit://guest:hunter2@127.0.0.1:5672/").load();
        try (LogCapture log = new LogCapture(ServiceLauncher.class, Level.INFO)) {
            ServiceLauncher launcher = new ServiceLauncher(conf);
            launcher.launchService(Stubborn::new, 2);
            CompletableFuture<Integer> status = awaitOnPlatformThread(launcher, new CompletableFuture<>());
            poll(() -> log.text().contains("Launcher started 2"), "the launcher to start");
            launcher.signal("USR2");
            poll(() -> log.text().contains("Guru Meditation"), "the report");
            String report = log.text();
            assertTrue(report.contains("-- hub 1 (worker 1 [RUNNING])") && report.contains("-- hub 2 (worker 2 [RUNNING])"),
                    report);
            assertTrue(report.contains("stubbornLoop"), "no green thread stack: " + report);
            assertTrue(report.contains("OS threads") && report.contains("launcher-test-main"), report);
            assertTrue(report.contains("rpc.transport_url = ****"), report);
            assertFalse(report.contains("hunter2"), "a secret was logged");
            assertTrue(report.contains("uptime = ") && report.contains("signals received = 1"), report);
            launcher.signal("TERM");
            launcher.signal("TERM");
            assertEquals(ServiceLauncher.EXIT_FAILURE, status.get(20, TimeUnit.SECONDS));
        }
    }

    private static Set<Thread> newSpacers(Set<Thread> before) {
        Set<Thread> now = spacers();
        now.removeAll(before);
        return now;
    }

    /** The live spacer threads of carriers started through CarrierThreads by the launcher. */
    private static Set<Thread> spacers() {
        Set<Thread> found = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().matches("jeventlet-.*-spacer-\\d")) {
                found.add(t);
            }
        }
        return found;
    }
}

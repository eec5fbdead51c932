package io.jeventlet.sample.l3;

import io.jeventlet.Event;
import io.jeventlet.hubs.Hub;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a daemon's services on the main thread's hub until SIGTERM or SIGINT
 * (through a shutdown hook) or until its parent exits, then stops them.
 *
 * <p>Thread rule: {@link #run} on the main thread; the hook and the parent
 * watch only hand the hub a stop request ({@link Hub#callThreadsafe}).
 */
final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /** Seconds the shutdown hook waits for the services to stop. */
    static final long STOP_WAIT_SECONDS = 60;

    private Daemon() {}

    /** Starts with {@code start}, waits for a stop request, stops with {@code stop}; returns the exit status 0. */
    static int run(String name, Runnable start, Runnable stop, boolean exitWithParent) {
        Hub hub = Hub.get();
        Event<String> stopRequested = new Event<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable request = () -> hub.callThreadsafe(() -> {
            if (!stopRequested.ready()) {
                stopRequested.send("signal");
            }
        });
        Thread hook = Thread.ofPlatform().name(name + "-shutdown").unstarted(() -> {
            request.run();
            try {
                stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        if (exitWithParent) {
            ParentWatch.start(() -> System.exit(0));
        }
        try {
            start.run();
            LOG.info("{} running; SIGTERM or SIGINT stops it", name);
            String why = stopRequested.await();
            LOG.info("{} stopping ({})", name, why);
            stop.run();
            LOG.info("{} stopped", name);
            return 0;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it returns now that the services stopped.
            }
        }
    }
}

package io.jeventlet.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's readiness protocol ({@code sd_notify}) for a {@code Type=notify}
 * (or {@code notify-reload}) unit: datagrams of {@code KEY=VALUE} lines to the
 * unix datagram socket named by {@code NOTIFY_SOCKET} (a path, or {@code @name}
 * in the abstract namespace), sent from this JVM's own process so systemd
 * accepts them as the main process's. With {@code NOTIFY_SOCKET} unset every
 * method does nothing.
 *
 * <p>What the {@link ServiceLauncher} sends: {@code READY=1} once every
 * service started; {@code RELOADING=1} with {@code MONOTONIC_USEC} in the
 * same datagram when a SIGHUP reload begins, and {@code READY=1} when it
 * ended (with a {@code STATUS=} saying whether it failed); {@code STOPPING=1}
 * when a stop begins; {@code STATUS=} lines between; and, when
 * {@code WATCHDOG_USEC} is set and {@code WATCHDOG_PID} is unset or names
 * this process, {@code WATCHDOG=1} every half of it, but only while the
 * given check says the hubs are responsive — a hub stuck in a green thread
 * that never yields lets the watchdog fire, which is what it is for.
 *
 * <p>A send that fails is logged once (at WARN) until one succeeds again;
 * it never throws to the caller.
 *
 * <p>Thread-safe: sends are single system calls on one socket; the watchdog
 * runs on its own daemon thread, started once.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final String address;
    private final long watchdogMicros;
    private final UnixDatagram socket;
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean closed;
    private Thread watchdog;

    private SystemdNotifier(String address, long watchdogMicros, UnixDatagram socket) {
        this.address = address;
        this.watchdogMicros = watchdogMicros;
        this.socket = socket;
    }

    /** The notifier this process's environment asks for (disabled when {@code NOTIFY_SOCKET} is unset). */
    public static SystemdNotifier fromEnvironment() {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * The notifier {@code env} asks for, for process {@code pid}: reads
     * {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}.
     * A malformed watchdog value is logged and the watchdog left off.
     */
    public static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
        String address = env.get("NOTIFY_SOCKET");
        if (address == null || address.isEmpty()) {
            return new SystemdNotifier(null, 0, null);
        }
        long watchdog = 0;
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec != null && !usec.isEmpty()) {
            try {
                watchdog = Long.parseLong(usec.trim());
                if (forPid != null && !forPid.isEmpty() && Long.parseLong(forPid.trim()) != pid) {
                    LOG.debug("WATCHDOG_PID={} is not this process ({}): no watchdog pings", forPid, pid);
                    watchdog = 0;
                }
            } catch (NumberFormatException e) {
                LOG.warn("WATCHDOG_USEC={} / WATCHDOG_PID={} is not a number: no watchdog pings", usec, forPid);
                watchdog = 0;
            }
        }
        try {
            return new SystemdNotifier(address, Math.max(0, watchdog), UnixDatagram.open());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("NOTIFY_SOCKET={} is set but no unix datagram socket could be opened: {}", address,
                    e.getMessage());
            return new SystemdNotifier(null, 0, null);
        }
    }

    /** True when {@code NOTIFY_SOCKET} names a socket to notify. */
    public boolean enabled() {
        return address != null;
    }

    /** Seconds between watchdog pings (half of {@code WATCHDOG_USEC}), 0 when there is no watchdog. */
    public double watchdogIntervalSeconds() {
        return enabled() ? watchdogMicros / 2e6 : 0;
    }

    /** {@code READY=1}, with {@code STATUS=status} when not null. */
    public void ready(String status) {
        send("READY=1", status);
    }

    /** {@code RELOADING=1} and {@code MONOTONIC_USEC} (CLOCK_MONOTONIC, µs) in one datagram. */
    public void reloading(String status) {
        // On Linux the JVM's nanoTime is CLOCK_MONOTONIC, the clock systemd compares this with.
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000, status);
    }

    /** {@code STOPPING=1}. */
    public void stopping(String status) {
        send("STOPPING=1", status);
    }

    /** {@code STATUS=status}: one line shown by {@code systemctl status}. */
    public void status(String status) {
        send(null, status);
    }

    /**
     * Starts pinging {@code WATCHDOG=1} every half of {@code WATCHDOG_USEC}
     * while {@code responsive} says so; does nothing without a watchdog.
     * Called once.
     */
    public synchronized void startWatchdog(BooleanSupplier responsive) {
        if (watchdogMicros <= 0 || address == null || watchdog != null) {
            return;
        }
        long periodMs = Math.max(1, watchdogMicros / 2000);
        watchdog = Thread.ofPlatform().daemon().name("jeventlet-systemd-watchdog").start(() -> {
            boolean held = false;
            while (!closed) {
                if (responsive.getAsBoolean()) {
                    if (held) {
                        LOG.info("the hubs are responsive again: watchdog pings resume");
                        held = false;
                    }
                    send("WATCHDOG=1", null);
                } else if (!held) {
                    held = true;
                    LOG.warn("a hub is held past its blocking limit: no WATCHDOG=1 until it is responsive again");
                }
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops the watchdog and closes the socket. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watchdog != null) {
            watchdog.interrupt();
        }
        if (socket != null) {
            socket.close();
        }
    }

    private void send(String state, String status) {
        if (address == null || closed) {
            return;
        }
        StringBuilder b = new StringBuilder();
        if (state != null) {
            b.append(state);
        }
        if (status != null) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append("STATUS=").append(status.replace('\n', ' '));
        }
        try {
            socket.sendOrThrow(address, b.toString().getBytes(StandardCharsets.UTF_8));
            if (failing.compareAndSet(true, false)) {
                LOG.info("systemd notifications reach NOTIFY_SOCKET={} again", address);
            }
        } catch (IOException | RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.warn("systemd notification to NOTIFY_SOCKET={} failed: {} (logged once until one succeeds)",
                        address, e.getMessage());
            }
        }
    }
}

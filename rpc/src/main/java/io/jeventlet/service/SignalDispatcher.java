package io.jeventlet.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The one JVM-wide set of signal handlers: SIGTERM, SIGINT, SIGHUP and
 * SIGUSR2 reach every {@link ServiceLauncher} that is in its
 * {@code await()}.
 *
 * <p>Thread-safe. Handlers are installed once, by the first launcher that
 * awaits, and stay (a JVM has one handler per signal; re-installing them for
 * every launcher would race with signals in flight).
 *
 * <p>Guarantees: with no launcher awaiting, SIGTERM, SIGINT and SIGHUP do
 * what the JVM did before (its own handler: run the shutdown hooks and exit
 * with 128 + the signal's number), so a daemon that has not started yet, or
 * has stopped, still dies on TERM. A signal that was ignored when the
 * process started (nohup's SIGHUP, a background job's SIGINT) stays ignored
 * (the JVM's rule): that is logged once. Where the JVM keeps a signal for itself
 * (under {@code -Xrs}: HUP, INT and TERM), that is logged once, with what
 * it costs, and the launcher runs on without it; under {@code -Xrs} the JVM
 * delivers no signal to Java code at all, so SIGUSR2 is lost as well, and
 * SIGTERM ends the process the operating system's way (no shutdown hooks).
 *
 * <p>Implementation notes: the JDK runs each handler on a short-lived
 * platform thread of its own; a handler here only hands the launcher a
 * command ({@link ServiceLauncher#signal}), which crosses into the launcher's
 * hub through {@code Hub.callThreadsafe}.
 */
final class SignalDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SignalDispatcher.class);
    /** The signals a launcher handles, by their JDK names. */
    static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "USR2");

    private static final Set<ServiceLauncher> LIVE = new CopyOnWriteArraySet<>();
    private static final Map<String, SignalHandler> PREVIOUS = new ConcurrentHashMap<>();
    private static final Set<String> HANDLED = new CopyOnWriteArraySet<>();
    private static boolean installed;

    private SignalDispatcher() {
    }

    /** Makes {@code launcher} receive signals; installs the handlers on first use. */
    static synchronized void register(ServiceLauncher launcher) {
        install();
        LIVE.add(launcher);
    }

    /** Stops sending signals to {@code launcher}. */
    static void unregister(ServiceLauncher launcher) {
        LIVE.remove(launcher);
    }

    /** The signals this JVM let the dispatcher handle, e.g. {@code [TERM, INT, HUP, USR2]}. */
    static Set<String> handled() {
        return Set.copyOf(HANDLED);
    }

    private static void install() {
        if (installed) {
            return;
        }
        installed = true;
        List<String> refused = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String name : SIGNALS) {
            try {
                SignalHandler previous = Signal.handle(new Signal(name), SignalDispatcher::dispatch);
                PREVIOUS.put(name, previous);
                if (previous == SignalHandler.SIG_IGN && !"USR2".equals(name)) {
                    // Ignored when the process started: the JVM keeps HUP, INT and TERM ignored then.
                    ignored.add("SIG" + name);
                } else {
                    HANDLED.add(name);
                }
            } catch (IllegalArgumentException e) {
                refused.add("SIG" + name);
            }
        }
        if (!ignored.isEmpty()) {
            LOG.warn("{} was ignored when this process started (inherited from its parent: nohup ignores SIGHUP, a"
                    + " background job of a non-interactive shell SIGINT), and the JVM keeps it ignored: it will not"
                    + " reach the service launcher", ignored);
        }
        if (!refused.isEmpty()) {
            // Under -Xrs the JVM also runs no Java signal handler at all (it starts no signal
            // dispatcher thread), so SIGUSR2 is lost too although its handler installs.
            LOG.warn("This JVM keeps {} for itself (as under -Xrs): no signal will stop the services gracefully,"
                    + " reload the configuration or report (under -Xrs SIGUSR2 is not delivered either);"
                    + " running on without them", refused);
        }
    }

    private static void dispatch(Signal signal) {
        String name = signal.getName();
        if (LIVE.isEmpty()) {
            SignalHandler previous = PREVIOUS.get(name);
            if (!"USR2".equals(name) && previous != null && previous != SignalHandler.SIG_DFL
                    && previous != SignalHandler.SIG_IGN) {
                previous.handle(signal); // the JVM's own: shutdown hooks, then exit 128 + number
            } else {
                LOG.info("SIG{} received while no service launcher is running; ignored", name);
            }
            return;
        }
        for (ServiceLauncher launcher : LIVE) {
            launcher.signal(name);
        }
    }
}

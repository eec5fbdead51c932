package io.jeventlet.service;

import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.conf.OptGroupProvider;
import java.util.List;

/**
 * The {@code service} option group: oslo.service's launcher options and
 * Neutron's periodic-task scheduling options, under their oslo names.
 * Defaults live in this module's {@code reference.conf}; the group is found
 * through {@code META-INF/services/io.jeventlet.conf.OptGroupProvider}.
 *
 * <p>Thread-safe: the declarations are immutable constants.
 */
public final class ServiceOpts implements OptGroupProvider {

    /** The {@code service} group. */
    public static final OptGroup SERVICE = new OptGroup("service",
            "Services: how a daemon starts, stops, reloads and runs its periodic tasks.");

    /** {@code service.graceful_shutdown_timeout}: seconds a graceful stop may take before the launcher gives up. */
    public static final Opt<Double> GRACEFUL_SHUTDOWN_TIMEOUT = SERVICE.add(
            Opt.durationOpt("graceful_shutdown_timeout").greaterThan(0).mutable()
                    .help("Seconds SIGTERM/SIGINT waits for the services to stop gracefully; past it the launcher"
                            + " logs what still runs and exits non-zero."));
    /** {@code service.log_options}: whether the launcher logs the effective configuration after a reload. */
    public static final Opt<Boolean> LOG_OPTIONS = SERVICE.add(Opt.boolOpt("log_options").mutable()
            .help("Log every option's effective value (secrets masked) after a SIGHUP reload (the mains log them at start)."));
    /** {@code service.periodic_interval}: the longest a service's periodic-task loop idles between checks. */
    public static final Opt<Double> PERIODIC_INTERVAL = SERVICE.add(Opt.durationOpt("periodic_interval").greaterThan(0)
            .help("Longest idle, in seconds, between two runs of a service's periodic-task loop."));
    /** {@code service.periodic_fuzzy_delay}: the range of the random delay before the first periodic-task run. */
    public static final Opt<Double> PERIODIC_FUZZY_DELAY = SERVICE.add(Opt.durationOpt("periodic_fuzzy_delay").min(0)
            .help("Range, in seconds, of the random delay before a service's periodic tasks first run, so the"
                    + " workers of many hosts do not run them all at once (0: no delay)."));

    @Override
    public List<OptGroup> groups() {
        return List.of(SERVICE);
    }
}

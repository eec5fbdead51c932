package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Transport;
import io.jeventlet.service.Operability;
import io.jeventlet.service.Service;
import io.jeventlet.service.ServiceLauncher;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the daemons' mains share: the configuration options of the command line, then one service on the transport
 * of {@code rpc.transport_url}, run by a {@code ServiceLauncher} until it stops; the transport is closed once the
 * launcher returns. Exit status: the launcher's, or {@link ConfigCommandLine#EXIT_INVALID} (with the reason on the
 * error stream) for a malformed or unknown transport URL.
 */
abstract class ServiceDaemon implements Callable<Integer> {

    @Mixin
    ConfigCommandLine config;

    @Spec
    CommandSpec spec;

    /**
     * Reads what the service needs from {@code conf} (an invalid value fails here, before a transport opens) and
     * returns how to build the service on the transport.
     */
    abstract Function<Transport, ? extends Service> serviceOn(ConfigOpts conf);

    @Override
    public final Integer call() {
        ConfigOpts conf = config.load();
        Function<Transport, ? extends Service> serviceOn = serviceOn(conf);
        Transport transport;
        try {
            // Traced and measured (RPC series, oslo.metrics datagrams when enabled): docs/OPERATIONS.md.
            transport = Operability.instrument(Transport.create(conf));
        } catch (IllegalArgumentException e) {
            // A malformed or unknown transport URL: the message names it, with any password masked.
            spec.commandLine().getErr().println(e.getMessage());
            return ConfigCommandLine.EXIT_INVALID;
        }
        Service service = serviceOn.apply(transport);
        try {
            ServiceLauncher launcher = new ServiceLauncher(conf);
            launcher.launchService(service);
            return launcher.await();
        } finally {
            transport.close();
        }
    }
}

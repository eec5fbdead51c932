package io.jeventlet.sample.l3;

import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Transport;
import io.jeventlet.service.Service;
import io.jeventlet.service.ServiceLauncher;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The part the daemons' {@code call()} share: one service on the transport of {@code rpc.transport_url}, run by a
 * {@code ServiceLauncher} until it stops; the transport is closed once the launcher returns.
 */
final class ServiceDaemon {
    private ServiceDaemon() {
    }

    /**
     * Opens the transport of {@code conf}, builds the service on it with {@code serviceOn} and runs it.
     *
     * @return the launcher's exit status, or {@link ConfigCommandLine#EXIT_INVALID} (with the reason on
     *     {@code spec}'s error stream) for a malformed or unknown transport URL
     */
    static int run(ConfigOpts conf, CommandSpec spec, Function<Transport, ? extends Service> serviceOn) {
        Transport transport;
        try {
            transport = Transport.create(conf);
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

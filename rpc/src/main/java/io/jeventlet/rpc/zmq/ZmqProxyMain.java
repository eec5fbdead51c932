package io.jeventlet.rpc.zmq;

import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.service.Service;
import io.jeventlet.service.ServiceLauncher;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A {@link ZmqProxy} as its own process, run by a {@link ServiceLauncher}:
 * it binds {@code tcp://<rpc_zmq.bind_address>:<rpc_zmq.proxy_port>} (and
 * CurveZMQ when keys are configured), logs
 * {@code zmq proxy listening on tcp://HOST:PORT}, and stops cleanly on
 * SIGTERM or SIGINT (exit status 0). Bad options or key files end it at
 * start with the launcher's error status and a message naming them.
 *
 * <pre>
 * bin/zmq-proxy --rpc_zmq.proxy_port=9501
 * bin/zmq-proxy --config-file proxy.conf     # [rpc_zmq] bind_address, curve_* ...
 * </pre>
 *
 * <p>Thread rule: {@link #call()} runs on the main thread, whose hub the
 * launcher runs; the proxy itself routes on its own socket hub.
 */
@Command(name = "zmq-proxy", mixinStandardHelpOptions = true,
        description = {"Runs the ZeroMQ proxy that zmq:// clients and servers meet at (docs/PROTOCOL.md)."})
public final class ZmqProxyMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqProxyMain.class);

    @Mixin
    ConfigCommandLine config;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port to bind (overrides rpc_zmq.proxy_port; 0 picks one).")
    Integer port;

    /** The proxy as an oslo.service-style service: started by the launcher, closed on stop. */
    static final class ProxyService extends Service {
        private final ConfigOpts conf;
        private final String endpoint;
        private volatile ZmqProxy proxy;
        private volatile ZmqProxyMetrics metrics;

        ProxyService(ConfigOpts conf, String endpoint) {
            this.conf = conf;
            this.endpoint = endpoint;
        }

        @Override
        public void start() {
            proxy = ZmqProxy.start(endpoint, conf);
            metrics = ZmqProxyMetrics.bind(proxy, Metrics.globalRegistry);
        }

        @Override
        public void stop(boolean graceful) {
            ZmqProxy p = proxy;
            if (p != null) {
                LOG.info("zmq proxy {} stopping; counters {}", p.endpoint(), p.stats());
                p.close();
            }
            ZmqProxyMetrics m = metrics;
            if (m != null) {
                m.close();
            }
            super.stop(graceful);
        }
    }

    @Override
    public Integer call() {
        ConfigOpts.Builder builder = ConfigOpts.builder();
        if (port != null) {
            builder.override(ZmqOpts.PROXY_PORT, port);
        }
        ConfigOpts conf = config.load(builder);
        String host = conf.get(ZmqOpts.BIND_ADDRESS);
        String endpoint = "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + conf.get(ZmqOpts.PROXY_PORT);
        ServiceLauncher launcher = new ServiceLauncher(conf);
        launcher.launchService(new ProxyService(conf, endpoint));
        return launcher.await();
    }

    /** Runs the proxy with {@code args} and exits with its status. */
    public static void main(String[] args) {
        System.exit(ConfigCommandLine.execute(new ZmqProxyMain(), args));
    }
}

package io.jeventlet.service;

import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigCommandLine;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcClient;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A daemon main as docs/SERVICE.md shows one, run as a child JVM by
 * {@link ServiceSignalsTest}: {@code --workers} instances of a small service
 * whose green threads serve "requests" with a request id in the MDC, and,
 * with {@code --stubborn}, a thread that ignores graceful stops; with
 * {@code --on-bus} its RPC server serves on {@code rpc.transport_url}.
 */
@Command(name = "service-main", mixinStandardHelpOptions = true)
public final class ServiceMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    @Mixin
    ConfigCommandLine config;

    @Option(names = "--workers", description = "Service instances, each on its own hub and OS thread.")
    int workers = 2;

    @Option(names = "--stubborn", description = "Each instance also runs a thread that ignores graceful stops.")
    boolean stubborn;

    @Option(names = "--on-bus", description = "Serve on rpc.transport_url instead of inproc://service-main.")
    boolean onBus;

    /** The RPC endpoint of every instance: logs what it serves, in the green thread the server runs it in. */
    public static final class Echo {
        /** Logs and returns {@code text}. */
        public String echo(Context ctx, String text) {
            LOG.info("rpc echo {}", text);
            return text;
        }
    }

    /**
     * The service: two request-serving green threads, a heartbeat timer, and
     * an RPC server on {@code inproc://service-main} that one of its threads
     * calls once with a request id in the context.
     */
    static final class Demo extends Service {
        private final int n = INSTANCES.incrementAndGet();
        private final ConfigOpts conf;
        private final boolean stubborn;
        private final boolean onBus;
        private Transport transport;
        private RpcServer server;

        Demo(ConfigOpts conf, boolean stubborn, boolean onBus) {
            this.conf = conf;
            this.stubborn = stubborn;
            this.onBus = onBus;
        }

        @Override
        public void start() {
            for (String id : new String[] {"a", "b"}) {
                threadGroup().addThread(() -> serve("req-" + n + "-" + id));
            }
            threadGroup().addTimer(0.5, () -> LOG.debug("instance {} heartbeat", n), 0);
            if (stubborn) {
                threadGroup().addThread(this::stubbornSleep);
            }
            transport = onBus ? Transport.create(conf) : Transport.create("inproc://service-main");
            Target target = new Target("demo").withServer("host-" + n);
            server = new RpcServer(transport, target, List.of(new Echo()));
            server.start();
            threadGroup().addThread(() -> new RpcClient(transport, target).call(
                    Context.of(Map.of("request_id", "req-rpc-" + n)), "echo", Map.of("text", "hello " + n)));
        }

        @Override
        public void stop(boolean graceful) {
            server.stop();
            server.await();
            super.stop(graceful);
            transport.close();
        }

        /** Serves until stopped; both threads interleave, each logging with its own request id. */
        private Object serve(String requestId) {
            MDC.put("request_id", requestId);
            for (int i = 0; i < 3; i++) {
                LOG.info("serving step {}", i);
                Eventlet.sleep(0.01);
            }
            MDC.remove("request_id");
            LOG.info("instance {} served {}", n, requestId);
            return null;
        }

        private Object stubbornSleep() {
            Eventlet.sleep(100_000);
            return null;
        }

        @Override
        public void reset() {
            LOG.info("instance {} reset: graceful_shutdown_timeout = {}", n,
                    conf.get(ServiceOpts.GRACEFUL_SHUTDOWN_TIMEOUT));
        }
    }

    @Override
    public Integer call() {
        ConfigOpts conf = config.load();
        ServiceLauncher launcher = new ServiceLauncher(conf);
        launcher.launchService(() -> new Demo(conf, stubborn, onBus), workers);
        return launcher.await();
    }

    /** Runs the daemon; a shutdown hook says that the JVM's hooks still run after a signal. */
    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LOG.warn("shutdown hook ran")));
        System.exit(ConfigCommandLine.execute(new ServiceMain(), args));
    }
}

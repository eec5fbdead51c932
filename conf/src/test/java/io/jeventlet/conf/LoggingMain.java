package io.jeventlet.conf;

import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A main as the project writes one, run as a child JVM by {@link LoggingOptionsTest}: it logs and exits. */
@Command(name = "logging-main", mixinStandardHelpOptions = true)
public final class LoggingMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingMain.class);

    @Mixin
    ConfigCommandLine config;

    @Override
    public Integer call() {
        config.load(Fixtures.withBase(java.nio.file.Path.of(System.getProperty("logging.main.dir"))));
        LOG.debug("a debug line");
        MDC.put("request_id", "req-7f3a");
        try {
            LOG.info("serving a request");
        } finally {
            MDC.remove("request_id");
        }
        LOG.warn("it failed", new IllegalStateException("on purpose"));
        LOG.info("done");
        return 0;
    }

    /** Runs with {@code args} and exits with the status. */
    public static void main(String[] args) {
        System.exit(ConfigCommandLine.execute(new LoggingMain(), args));
    }
}

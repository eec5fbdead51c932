package io.jeventlet.rpc;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.DriverFactory;
import io.jeventlet.rpc.spi.ReplyHandler;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one {@link Transport} implementation: a driver found by URL scheme,
 * plus what every driver shares (the configuration, the replies' routing to
 * waiting calls). Thread-safe.
 */
final class DriverTransport implements Transport {

    private final ConfigOpts conf;
    private final TransportUrl url;
    private final Driver driver;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DriverTransport(ConfigOpts conf, TransportUrl url, DriverFactory factory, ReplyHandler replies) {
        this.conf = conf;
        this.url = url;
        this.driver = factory.open(url, new DriverContext(conf, replies));
    }

    static DriverTransport open(String rawUrl, ConfigOpts conf) {
        TransportUrl url = TransportUrl.parse(rawUrl);
        DriverFactory factory = factory(url);
        ConfigOpts effective = conf != null ? conf : ConfigOpts.builder().commandLine(RpcOpts.TRANSPORT_URL.key(), rawUrl).load();
        return new DriverTransport(effective, url, factory, null);
    }

    private static DriverFactory factory(TransportUrl url) {
        List<String> known = new ArrayList<>();
        for (DriverFactory f : ServiceLoader.load(DriverFactory.class, DriverTransport.class.getClassLoader())) {
            if (f.scheme().equals(url.scheme())) {
                return f;
            }
            known.add(f.scheme());
        }
        throw new IllegalArgumentException("transport URL '" + url + "' has unknown scheme '" + url.scheme()
                + "'; known schemes: " + known);
    }

    Driver driver() {
        return driver;
    }

    @Override
    public ConfigOpts conf() {
        return conf;
    }

    @Override
    public String url() {
        return url.toString();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            driver.close();
        }
    }

    @Override
    public String toString() {
        return "Transport(" + url + ")";
    }
}

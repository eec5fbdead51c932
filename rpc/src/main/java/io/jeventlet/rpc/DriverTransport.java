package io.jeventlet.rpc;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.DriverFactory;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one {@link Transport} implementation: a driver found by URL scheme,
 * plus what every driver shares — the configuration, the envelope codec with
 * its limits, and the replies' routing to waiting calls ({@link ReplyWaiters},
 * the driver's {@link io.jeventlet.rpc.spi.ReplyHandler}). Thread-safe.
 */
final class DriverTransport implements Transport {

    private final ConfigOpts conf;
    private final TransportUrl url;
    private final Envelope envelope;
    private final ReplyWaiters replies;
    private final Driver driver;
    private final String controlExchange;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** True when made from a configuration (its notification options apply), false when from a bare URL. */
    private final boolean configured;

    private DriverTransport(ConfigOpts conf, TransportUrl url, DriverFactory factory, boolean configured) {
        this.conf = conf;
        this.configured = configured;
        this.url = url;
        this.envelope = Envelope.fromConf(conf);
        this.replies = new ReplyWaiters(envelope);
        this.controlExchange = conf.get(RpcOpts.CONTROL_EXCHANGE);
        this.driver = factory.open(url, new DriverContext(conf, replies));
    }

    static DriverTransport open(String rawUrl, ConfigOpts conf) {
        TransportUrl url = TransportUrl.parse(rawUrl);
        DriverFactory factory = factory(url);
        ConfigOpts effective = conf != null ? conf : ConfigOpts.builder().commandLine(RpcOpts.TRANSPORT_URL.key(), rawUrl).load();
        return new DriverTransport(effective, url, factory, conf != null);
    }

    /** {@code transport} as this implementation, or an error naming what was passed. */
    static DriverTransport of(Transport transport) {
        if (transport instanceof DriverTransport t) {
            return t;
        }
        throw new IllegalArgumentException("transport " + transport + " was not made by Transport.create");
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

    boolean configured() {
        return configured;
    }

    Driver driver() {
        return driver;
    }

    Envelope envelope() {
        return envelope;
    }

    ReplyWaiters replies() {
        return replies;
    }

    /** {@code target} with its exchange resolved ({@code rpc.control_exchange} when unset). */
    Target resolve(Target target) {
        return target.exchange() != null ? target : target.withExchange(controlExchange);
    }

    /** Sends through the driver; a driver's unchecked failure that is no MessagingException is wrapped in one. */
    void send(Target target, OutgoingMessage message) {
        checkOpen();
        try {
            driver.send(resolve(target), message);
        } catch (MessagingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MessagingException("sending to " + target + " over " + url + " failed: " + e, e);
        }
    }

    Listener listen(Target target, IncomingHandler handler) {
        checkOpen();
        return driver.listen(resolve(target), handler);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new MessagingException("transport " + url + " is closed");
        }
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
            try {
                driver.close();
            } finally {
                replies.closeAll(new MessagingException("transport " + url + " was closed while the call waited"));
            }
        }
    }

    @Override
    public String toString() {
        return "Transport(" + url + ")";
    }
}

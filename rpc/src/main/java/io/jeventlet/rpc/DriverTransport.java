package io.jeventlet.rpc;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.spi.Address;
import io.jeventlet.rpc.spi.DeliveryException;
import io.jeventlet.rpc.spi.Driver;
import io.jeventlet.rpc.spi.DriverContext;
import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.DriverFactory;
import io.jeventlet.rpc.spi.DriverTimeoutException;
import io.jeventlet.rpc.spi.IncomingHandler;
import io.jeventlet.rpc.spi.Listener;
import io.jeventlet.rpc.spi.OutgoingMessage;
import io.jeventlet.rpc.spi.TransportEvents;
import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one {@link Transport} implementation: a driver found by URL scheme,
 * plus what every driver shares — the configuration, the envelope codec with
 * its limits, and the replies' routing to waiting calls ({@link ReplyWaiters},
 * the driver's {@link io.jeventlet.rpc.spi.ReplyHandler}), and the
 * transport's {@link TransportEvents}. It is the border between API and SPI:
 * a {@link Target} becomes the driver's {@link Address}, and a driver's
 * {@link DriverException} the API's {@link MessagingException}
 * ({@link #translate}). Thread-safe.
 */
final class DriverTransport implements Transport {

    private final ConfigOpts conf;
    private final TransportUrl url;
    private final Envelope envelope;
    private final ReplyWaiters replies;
    private final Driver driver;
    private final String controlExchange;
    private final TransportEvents events;
    private final RemoteErrors remoteErrors;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** True when made from a configuration (its notification options apply), false when from a bare URL. */
    private final boolean configured;

    private DriverTransport(ConfigOpts conf, TransportUrl url, DriverFactory factory, boolean configured) {
        this.conf = conf;
        this.configured = configured;
        this.url = url;
        this.envelope = Envelope.fromConf(conf);
        this.events = new TransportEvents(url.scheme(), url.toString());
        this.replies = new ReplyWaiters(envelope, events);
        this.controlExchange = conf.get(RpcOpts.CONTROL_EXCHANGE);
        this.remoteErrors = new RemoteErrors(conf.get(RpcOpts.ALLOWED_REMOTE_EXMODS));
        this.driver = factory.open(url, new DriverContext(conf, replies, events));
    }

    static DriverTransport open(String rawUrl, ConfigOpts conf) {
        TransportUrl url = TransportUrl.parse(rawUrl);
        DriverFactory factory = factory(url);
        ConfigOpts effective = conf != null ? conf : ConfigOpts.builder().commandLine(RpcOpts.TRANSPORT_URL.key(), rawUrl).load();
        return new DriverTransport(effective, url, factory, conf != null);
    }

    /** The transport under {@code transport} (itself, or the one a view made by {@code intercept} decorates). */
    static DriverTransport of(Transport transport) {
        if (transport instanceof DriverTransport t) {
            return t;
        }
        if (transport instanceof InterceptedTransport t) {
            return t.delegate();
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

    /** How this transport's callers see a server's failure ({@code rpc.allowed_remote_exmods}). */
    RemoteErrors remoteErrors() {
        return remoteErrors;
    }

    @Override
    public TransportEvents events() {
        return events;
    }

    /** The driver's address of {@code target}, its exchange resolved ({@code rpc.control_exchange} when unset). */
    Address resolve(Target target) {
        return new Address(target.exchange() != null ? target.exchange() : controlExchange, target.topic(),
                target.server(), target.fanout());
    }

    /**
     * Sends through the driver; a driver's failure becomes the API's exception
     * ({@link #translate}), any other unchecked failure a MessagingException.
     */
    void send(Target target, OutgoingMessage message) {
        checkOpen();
        try {
            driver.send(resolve(target), message);
        } catch (DriverException e) {
            throw translate(e);
        } catch (MessagingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MessagingException("sending to " + target + " over " + url + " failed: " + e, e);
        }
    }

    Listener listen(Target target, IncomingHandler handler) {
        checkOpen();
        try {
            return driver.listen(resolve(target), handler);
        } catch (DriverException e) {
            throw translate(e);
        }
    }

    /**
     * The API's exception for a driver's: {@link DeliveryException} is a
     * {@link MessageDeliveryFailure}, {@link DriverTimeoutException} a
     * {@link MessagingTimeout}, any other a {@link MessagingException}; same
     * message, the driver's exception as the cause.
     */
    static MessagingException translate(DriverException e) {
        if (e instanceof DeliveryException) {
            return new MessageDeliveryFailure(e.getMessage(), e);
        }
        if (e instanceof DriverTimeoutException) {
            return new MessagingTimeout(e.getMessage(), e);
        }
        return new MessagingException(e.getMessage(), e);
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

/**
 * The transport SPI: what a bus driver ({@code inproc://}, {@code zmq://},
 * {@code rabbit://}) implements so that the API package's {@code RpcClient}
 * and {@code RpcServer} can use it. oslo.messaging's {@code BaseDriver},
 * {@code Listener} and {@code IncomingMessage}.
 *
 * <p>The SPI stands alone: it imports nothing from {@code io.jeventlet.rpc}.
 * A driver addresses requests with {@link io.jeventlet.rpc.spi.Address},
 * fails with {@link io.jeventlet.rpc.spi.DriverException} and its subclasses
 * (the transport maps them to the API's exceptions), reads the {@code rpc}
 * options through {@link io.jeventlet.rpc.spi.TransportOpts}, and reports
 * bus-level events (reconnects, drops, flow control, outages) through
 * {@link io.jeventlet.rpc.spi.TransportEvents}.
 *
 * <p>A driver moves opaque message bodies — the envelope bytes that the API
 * layer encodes and decodes — and knows nothing of endpoints, methods or
 * contexts. It is found by URL scheme through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.jeventlet.rpc.spi.DriverFactory}).
 *
 * <p>Thread rule: a driver is thread-safe and may be used by green threads
 * of several hubs at once. It calls {@link io.jeventlet.rpc.spi.ReplyHandler}
 * and {@link io.jeventlet.rpc.spi.IncomingHandler} from any thread (its own,
 * a library's, or — for {@code inproc://} — the sender's green thread); the
 * handlers hand work to the right hub with {@code Hub.callThreadsafe} and
 * return at once. A driver never hands work between hubs through green
 * queues (they are hub-confined).
 */
package io.jeventlet.rpc.spi;

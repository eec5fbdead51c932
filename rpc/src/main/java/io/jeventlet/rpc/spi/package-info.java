/**
 * The transport SPI: what a bus driver ({@code inproc://}, {@code zmq://},
 * {@code rabbit://}) implements so that {@link io.jeventlet.rpc.RpcClient}
 * and {@link io.jeventlet.rpc.RpcServer} can use it. oslo.messaging's
 * {@code BaseDriver}, {@code Listener} and {@code IncomingMessage}.
 *
 * <p>A driver moves opaque message bodies — the envelope bytes that
 * {@code io.jeventlet.rpc} encodes and decodes — and knows nothing of
 * endpoints, methods or contexts. It is found by URL scheme through
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

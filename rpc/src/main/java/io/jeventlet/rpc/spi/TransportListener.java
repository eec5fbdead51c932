package io.jeventlet.rpc.spi;

/**
 * Receives {@link TransportEvent}s; subscribe with
 * {@link TransportEvents#subscribeAll} (every transport of the process) or
 * {@link TransportEvents#subscribe} (one transport).
 *
 * <p>Thread rule: called synchronously on whatever thread emits the event —
 * a driver's I/O thread, a library's thread, a hub's green thread — possibly
 * from several at once. An implementation is thread-safe, returns quickly
 * and never blocks or parks (increment a counter, enqueue, return). An
 * exception it throws is logged and ignored; it never reaches the emitter.
 */
@FunctionalInterface
public interface TransportListener {

    /** {@code event} happened. */
    void onEvent(TransportEvent event);
}

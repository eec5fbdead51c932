package io.jeventlet.rpc.spi;

/**
 * Receives a server's requests from a driver. Called from any thread; returns
 * at once (hands the message to its hub).
 */
@FunctionalInterface
public interface IncomingHandler {

    /** A request arrived for the listener's target. */
    void onMessage(IncomingMessage message);
}

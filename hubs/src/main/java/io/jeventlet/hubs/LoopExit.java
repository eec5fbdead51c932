package io.jeventlet.hubs;

/**
 * Thrown to a waiter when its hub has nothing left that could ever wake it:
 * no runnable work, no timers, no I/O listeners, and no green thread blocked
 * outside the hub (in a JDK call, or waiting for another OS thread). Without
 * it such a wait would hang forever. The message names what was awaited.
 */
public class LoopExit extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public LoopExit(String message) {
        super(message);
    }
}

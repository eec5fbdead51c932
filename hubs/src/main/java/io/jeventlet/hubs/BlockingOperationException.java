package io.jeventlet.hubs;

/**
 * Thrown when a blocking function of the runtime is called from inside a hub
 * callback (a timer, a {@link Hub#callThreadsafe} task): the callback runs on
 * the hub's loop, so waiting there would stop every green thread of the hub
 * and the wake-up could never come (eventlet: "do not call blocking functions
 * from the mainloop"; Netty's exception of the same name). Spawn a green
 * thread from the callback and block in it instead.
 */
public class BlockingOperationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BlockingOperationException(String message) {
        super(message);
    }
}

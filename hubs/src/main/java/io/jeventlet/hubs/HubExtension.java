package io.jeventlet.hubs;

/**
 * What a layer built on the hubs module tells the hub about itself. The hubs
 * module depends on nothing above it; a layer that needs the hub to speak its
 * language lists an implementation in
 * {@code META-INF/services/io.jeventlet.hubs.HubExtension}, and the hub finds
 * every one on the class path with {@link java.util.ServiceLoader} the first
 * time it needs them.
 *
 * <pre>{@code
 * public final class MyLayer implements HubExtension {
 *     public Error timeout(double seconds) { return new MyTimeout(seconds); }
 *     public boolean isBlockingFunction(String className) { return className.startsWith("com.example.mylayer."); }
 * }
 * }</pre>
 *
 * <p>The greenthread module registers one ({@code io.jeventlet.GreenthreadExtension}):
 * a trampoline that times out throws its {@code io.jeventlet.Timeout}, and a
 * {@link LoopExit} names the {@code Event.await} or {@code Queue.get} it
 * ended. Without any extension the hub throws a plain {@link Error} naming
 * the timeout, and names only its own functions.
 *
 * <p>Thread rule: implementations are called from any hub's carrier and
 * must be thread-safe (stateless is simplest); both methods have defaults,
 * so an extension implements only what it changes.
 */
public interface HubExtension {
    /**
     * The error a wait of the hub itself ({@link Hub#trampoline}) throws when
     * its own limit of {@code seconds} passes, or null to leave it to another
     * extension (or to the hub's plain {@link Error}).
     */
    default Error timeout(double seconds) {
        return null;
    }

    /**
     * True if the methods of class {@code className} are this layer's
     * blocking functions: {@link LoopExit} and thread dumps name the outermost
     * of them on a waiter's stack as what it waits in.
     */
    default boolean isBlockingFunction(String className) {
        return false;
    }
}

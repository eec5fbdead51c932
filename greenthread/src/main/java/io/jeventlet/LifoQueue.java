package io.jeventlet;

/**
 * eventlet's {@code LifoQueue}: a {@link Queue} that hands out the most
 * recently put item first (a stack).
 *
 * <pre>{@code
 * LifoQueue<String> stack = new LifoQueue<>();
 * stack.put("a");
 * stack.put("b");
 * String top = stack.get();                           // "b"
 * }</pre>
 *
 * <p>Thread rule: Hub-confined, as {@link LightQueue}.
 */
public class LifoQueue<T> extends Queue<T> {

    /** An unbounded LIFO queue. */
    public LifoQueue() {
        this(-1);
    }

    /** A LIFO queue of at most {@code maxsize} items; negative is unbounded, 0 is a channel. */
    public LifoQueue(int maxsize) {
        super(maxsize, Items.lifo());
    }
}

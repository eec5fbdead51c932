package io.jeventlet.rpc.spi;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

/**
 * The pool of Jackson's parser and generator buffers for JSON read or written
 * on green threads: the envelope codec's and the drivers' peeks into bodies.
 * Thread-safe; one pool for the JVM.
 *
 * <p>Why not Jackson's default: that pool is per thread, and a request runs on
 * a green thread of its own, so with it every message would allocate a new set
 * of buffers. This one is shared by every thread and holds at most as many
 * buffer sets as there were parses at once (a parse never yields, so about one
 * per carrier thread).
 */
public final class JsonBuffers {
    private static final RecyclerPool<BufferRecycler> POOL = JsonRecyclerPools.newConcurrentDequePool();

    private JsonBuffers() {
    }

    /** The shared pool, for {@code JsonFactory.builder().recyclerPool(...)}. */
    public static RecyclerPool<BufferRecycler> pool() {
        return POOL;
    }
}

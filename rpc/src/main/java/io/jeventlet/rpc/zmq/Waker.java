package io.jeventlet.rpc.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes a socket's owner from its poll: a pipe whose read end the owner polls
 * beside its socket. Thread-safe: {@link #wake()} may be called from any
 * thread or green thread; {@link #drain()} only by the owner.
 *
 * <p>Why a wake-up cannot be lost: a producer queues its work, then calls
 * {@link #wake()}, which writes one byte unless a byte is already pending. The
 * owner drains the pipe first and clears {@code pending} second, then takes
 * the queued work: work queued before the clear is taken now; a producer that
 * sets {@code pending} after the clear writes a byte the next poll sees. At
 * most one byte is in flight per wake-up window, so the pipe never fills.
 */
final class Waker implements AutoCloseable {
    private final Pipe pipe;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ByteBuffer scratch = ByteBuffer.allocate(64);

    Waker() {
        try {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the wake-up pipe of a ZeroMQ socket owner", e);
        }
    }

    /** The channel the owner polls for reading. */
    Pipe.SourceChannel source() {
        return pipe.source();
    }

    /** Makes the owner's current or next poll return. */
    void wake() {
        if (pending.compareAndSet(false, true)) {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                // Closed: the owner is gone and needs no wake-up.
            }
        }
    }

    /** Owner only: consumes the wake-up bytes, then re-arms {@link #wake()}. */
    void drain() {
        try {
            while (true) {
                scratch.clear();
                if (pipe.source().read(scratch) <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // Closed under us while stopping: nothing left to drain.
        }
        pending.set(false);
    }

    @Override
    public void close() {
        try {
            pipe.sink().close();
        } catch (IOException ignored) {
            // Best effort; the source's close below is what the poller sees.
        }
        try {
            pipe.source().close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}

package io.jeventlet.hubs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashSet;
import java.util.Set;

/**
 * A hub's I/O readiness waits ({@link Hub#trampoline}) over one lazily opened
 * {@link Selector}. Hub-confined, except {@link #wakeup()}.
 *
 * <p>Overview: a channel is registered once and keeps its key; each wait adds
 * its interest bits and removes them when it ends, so a readiness event wakes
 * exactly the reader or writer waiting for it. At most one reader and one
 * writer per channel (eventlet's "second simultaneous read" rule). The count of
 * waits lets the hub tell "someone may still be woken by I/O" from a dead end.
 */
final class Listeners {
    private final Hub hub;
    private volatile Selector selector;
    private int waiting;
    /** Keys with a reader or writer waiting: checked for channels closed under them. */
    private final Set<SelectionKey> waitingKeys = new HashSet<>();

    Listeners(Hub hub) {
        this.hub = hub;
    }

    int count() {
        return waiting;
    }

    private static final class Entry {
        Greenlet reader;
        Greenlet writer;
        boolean readReady;
        boolean writeReady;
    }

    void trampoline(SelectableChannel ch, boolean read, boolean write, double timeoutSeconds) {
        if (!read && !write) {
            throw new IllegalArgumentException("trampoline needs read, write or both");
        }
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("trampoline needs a non-blocking channel: " + ch);
        }
        Greenlet me = Greenlet.current();
        if (me.hub != hub) {
            throw new IllegalStateException("trampoline on " + hub + " from a greenlet of " + me.hub);
        }
        hub.checkConfined();
        int ops = (read ? readOps(ch) : 0) | (write ? writeOps(ch) : 0);
        SelectionKey key = register(ch);
        Entry e = (Entry) key.attachment();
        if ((read && e.reader != null) || (write && e.writer != null)) {
            throw new IllegalStateException("second simultaneous " + (read && e.reader != null ? "read" : "write")
                    + " on " + ch + ": " + (read ? e.reader : e.writer) + " is already waiting for it");
        }
        if (read) {
            e.reader = me;
            e.readReady = false;
        }
        if (write) {
            e.writer = me;
            e.writeReady = false;
        }
        key.interestOps(key.interestOps() | ops);
        waiting++;
        waitingKeys.add(key);
        double deadline = Seconds.deadline(hub, timeoutSeconds);
        try {
            while (!((read && e.readReady) || (write && e.writeReady))) {
                if (!key.isValid()) {
                    throw new UncheckedIOException(new ClosedChannelException());
                }
                if (!me.parkUntil(deadline)) {
                    throw HubExtensions.timeout(timeoutSeconds);
                }
            }
        } finally {
            waiting--;
            if (read && e.reader == me) {
                e.reader = null;
            }
            if (write && e.writer == me) {
                e.writer = null;
            }
            if (e.reader == null && e.writer == null) {
                waitingKeys.remove(key);
            }
            if (key.isValid()) {
                try {
                    key.interestOps(key.interestOps() & ~ops);
                } catch (CancelledKeyException closed) {
                    // The channel was closed while we waited: nothing to clear.
                }
            }
        }
    }

    private static int readOps(SelectableChannel ch) {
        return ch.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
    }

    private static int writeOps(SelectableChannel ch) {
        return ch.validOps() & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
    }

    private SelectionKey register(SelectableChannel ch) {
        Selector sel = selector();
        SelectionKey key = ch.keyFor(sel);
        if (key != null && key.isValid()) {
            return key;
        }
        if (key != null) {
            // A cancelled key is only deregistered by the next select.
            poll(0);
        }
        try {
            return ch.register(sel, 0, new Entry());
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Selector selector() {
        Selector s = selector;
        if (s == null) {
            try {
                s = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the hub's selector", e);
            }
            selector = s;
        }
        return s;
    }

    /** Waits up to {@code millis} (0: do not block; negative: no limit) and wakes the ready waiters. */
    void poll(long millis) {
        Selector sel = selector;
        if (sel == null) {
            return;
        }
        if (wakeClosed()) {
            millis = 0;
        }
        try {
            int n = millis == 0 ? sel.selectNow() : sel.select(millis < 0 ? 0 : millis);
            if (n == 0 && sel.selectedKeys().isEmpty()) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
        for (SelectionKey key : sel.selectedKeys()) {
            Entry e = (Entry) key.attachment();
            int readyOps;
            try {
                readyOps = key.readyOps();
            } catch (CancelledKeyException closed) {
                readyOps = SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            }
            if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && e.reader != null) {
                e.readReady = true;
                e.reader.wake();
            }
            if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && e.writer != null) {
                e.writeReady = true;
                e.writer.wake();
            }
        }
        sel.selectedKeys().clear();
    }

    /**
     * Wakes the waiters of channels closed while they waited: a closed
     * channel's key is cancelled and never selected, so without this they
     * would sleep to their timeout (or for ever). Their trampoline then fails
     * with a closed-channel error, as eventlet's does.
     */
    private boolean wakeClosed() {
        boolean any = false;
        for (SelectionKey key : waitingKeys) {
            if (!key.isValid()) {
                Entry e = (Entry) key.attachment();
                if (e.reader != null) {
                    e.reader.wake();
                }
                if (e.writer != null) {
                    e.writer.wake();
                }
                any = true;
            }
        }
        return any;
    }

    void wakeup() {
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }
}

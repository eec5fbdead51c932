package io.jeventlet.rpc.zmq;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a free loopback port to a target port, that a test can cut: every connection
 * through it is closed, and while it is shut, new ones are closed as soon as they are accepted.
 * The way to drop one peer's connection to a proxy while the proxy and its other peers go on.
 * Thread-safe; its threads are platform daemon threads that end with {@link #close}.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private volatile boolean shut;

    TcpRelay(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("tcp-relay-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes every connection through the relay and refuses new ones until {@link #open}. */
    void shut() {
        shut = true;
        for (Socket s : live) {
            closeQuietly(s);
        }
    }

    void open() {
        shut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket a = server.accept();
                if (shut) {
                    closeQuietly(a);
                    continue;
                }
                Socket b = new Socket(InetAddress.getLoopbackAddress(), target);
                live.add(a);
                live.add(b);
                pump(a, b);
                pump(b, a);
            } catch (IOException e) {
                // closed, or the target refused: the peer sees its connection end and redials
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("tcp-relay-pump").start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                live.remove(from);
                live.remove(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        shut();
    }
}

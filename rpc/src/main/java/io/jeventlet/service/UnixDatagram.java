package io.jeventlet.service;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A unix-domain datagram socket ({@code AF_UNIX}, {@code SOCK_DGRAM}) over
 * the JDK's foreign-function API: what systemd's {@code NOTIFY_SOCKET} and
 * oslo.metrics' collector socket speak, and what the JDK's channels cannot
 * (they offer unix-domain sockets as streams only).
 *
 * <p>An address is a file system path, or {@code @name} for Linux's abstract
 * namespace (systemd's notation). Sending never blocks
 * ({@code MSG_DONTWAIT}): a receiver whose queue is full, or that is not
 * there, is a {@link SendResult}, not a wait. Receiving ({@link #bind},
 * {@link #receive}) exists for listeners: tests, and anyone checking what a
 * daemon sends.
 *
 * <p>Thread rule: thread-safe for sending (each send is one system call on
 * the socket); {@link #receive} is for one thread. A call pins the calling
 * carrier for the length of one non-blocking system call (a receive with a
 * timeout for up to that timeout: call it from a platform thread).
 *
 * <p>Linux only: elsewhere {@link #open()} throws
 * {@link UnsupportedOperationException} saying so.
 */
public final class UnixDatagram implements AutoCloseable {
    /** What one {@link #send} came to. */
    public enum SendResult {
        /** The datagram is in the receiver's queue. */
        SENT,
        /** Nobody listens at the address (no such file, or refused). */
        ABSENT,
        /** The receiver's queue is full: the datagram was dropped. */
        FULL,
        /** Another error (named in the exception of {@link #sendOrThrow}); the datagram was dropped. */
        FAILED
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int ENOENT = 2;
    private static final int EAGAIN = 11;
    private static final int ECONNREFUSED = 111;
    private static final int ENOTCONN = 107;
    private static final int ENOBUFS = 105;
    /** sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path. */
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int PATH_MAX = 108;

    private static final Native N = Native.load();

    private final int fd;
    private volatile boolean closed;

    private UnixDatagram(int fd) {
        this.fd = fd;
    }

    /** An unbound socket for sending. */
    public static UnixDatagram open() throws IOException {
        Native n = natives();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(n.stateLayout);
            int fd = (int) n.socket.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + n.errno(state));
            }
            return new UnixDatagram(fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A socket bound to {@code address} for receiving (a path, which must not
     * exist yet, or {@code @name}).
     */
    public static UnixDatagram bind(String address) throws IOException {
        UnixDatagram s = open();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(N.stateLayout);
            MemorySegment sa = a.allocate(SOCKADDR_UN_SIZE);
            int len = sockaddr(sa, address);
            int rc = (int) N.bind.invokeExact(state, s.fd, sa, len);
            if (rc < 0) {
                int errno = N.errno(state);
                s.close();
                throw new IOException("bind(" + address + ") failed: errno " + errno);
            }
            return s;
        } catch (IOException | RuntimeException | Error e) {
            s.close();
            throw e;
        } catch (Throwable t) {
            s.close();
            throw new IllegalStateException(t);
        }
    }

    /** Sends {@code datagram} to {@code address} without blocking; see {@link SendResult}. */
    public SendResult send(String address, byte[] datagram) {
        try {
            sendOrThrow(address, datagram);
            return SendResult.SENT;
        } catch (Absent e) {
            return SendResult.ABSENT;
        } catch (QueueFull e) {
            return SendResult.FULL;
        } catch (IOException e) {
            return SendResult.FAILED;
        }
    }

    /**
     * Sends {@code datagram} to {@code address} without blocking.
     *
     * @throws IOException naming the address and errno; {@link Absent} when
     *         nobody listens there, {@link QueueFull} when its queue is full
     */
    public void sendOrThrow(String address, byte[] datagram) throws IOException {
        checkOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(N.stateLayout);
            MemorySegment sa = a.allocate(SOCKADDR_UN_SIZE);
            int len = sockaddr(sa, address);
            MemorySegment buf = a.allocate(Math.max(1, datagram.length));
            MemorySegment.copy(datagram, 0, buf, ValueLayout.JAVA_BYTE, 0, datagram.length);
            long rc = (long) N.sendto.invokeExact(state, fd, buf, (long) datagram.length, MSG_DONTWAIT, sa, len);
            if (rc < 0) {
                int errno = N.errno(state);
                String what = "sending " + datagram.length + " bytes to unix datagram socket " + address
                        + " failed: errno " + errno;
                throw switch (errno) {
                    case ENOENT, ECONNREFUSED, ENOTCONN -> new Absent(what + " (nobody listens there)");
                    case EAGAIN, ENOBUFS -> new QueueFull(what + " (the receiver's queue is full)");
                    default -> new IOException(what);
                };
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The next datagram received, or null when none came within
     * {@code timeoutSeconds} (at least a millisecond). For a bound socket.
     */
    public byte[] receive(double timeoutSeconds) throws IOException {
        checkOpen();
        long micros = Math.max(1000, (long) (timeoutSeconds * 1e6));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(N.stateLayout);
            MemorySegment tv = a.allocate(16);
            tv.set(ValueLayout.JAVA_LONG, 0, micros / 1_000_000);
            tv.set(ValueLayout.JAVA_LONG, 8, micros % 1_000_000);
            int rc = (int) N.setsockopt.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            if (rc < 0) {
                throw new IOException("setsockopt(SO_RCVTIMEO) failed: errno " + N.errno(state));
            }
            MemorySegment buf = a.allocate(65536);
            long n = (long) N.recv.invokeExact(state, fd, buf, 65536L, 0);
            if (n < 0) {
                int errno = N.errno(state);
                if (errno == EAGAIN) {
                    return null;
                }
                throw new IOException("recv on a unix datagram socket failed: errno " + errno);
            }
            return Arrays.copyOf(buf.toArray(ValueLayout.JAVA_BYTE), (int) n);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Closes the socket (idempotent). A bound path is left for its owner to delete. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int rc = (int) N.close.invokeExact(fd);
            assert rc == 0 || rc < 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("unix datagram socket is closed");
        }
    }

    /** Writes a sockaddr_un for {@code address} into {@code sa}; returns its length. */
    private static int sockaddr(MemorySegment sa, String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("unix socket address is empty: expected a path or @name");
        }
        boolean abstractName = address.charAt(0) == '@';
        byte[] path = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        int max = PATH_MAX - 1; // abstract: after the leading NUL; a path: before its NUL
        if (path.length > max) {
            throw new IllegalArgumentException("unix socket address " + address + " is " + path.length
                    + " bytes long: at most " + max + " fit in sockaddr_un");
        }
        sa.fill((byte) 0);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        int offset = abstractName ? 3 : 2;
        MemorySegment.copy(path, 0, sa, ValueLayout.JAVA_BYTE, offset, path.length);
        // Abstract: the leading NUL and the name's own bytes, no terminator; a path: with its NUL.
        return abstractName ? 3 + path.length : 2 + path.length + 1;
    }

    private static Native natives() {
        if (N == null) {
            throw new UnsupportedOperationException("unix datagram sockets are supported on Linux only, not on "
                    + System.getProperty("os.name"));
        }
        return N;
    }

    /** Nobody listens at the address. */
    public static final class Absent extends IOException {
        private static final long serialVersionUID = 1L;

        Absent(String message) {
            super(message);
        }
    }

    /** The receiver's queue is full. */
    public static final class QueueFull extends IOException {
        private static final long serialVersionUID = 1L;

        QueueFull(String message) {
            super(message);
        }
    }

    /** The libc functions, bound once; null off Linux. */
    private record Native(MethodHandle socket, MethodHandle bind, MethodHandle sendto, MethodHandle recv,
            MethodHandle setsockopt, MethodHandle close, StructLayout stateLayout, VarHandle errnoHandle) {

        int errno(MemorySegment state) {
            return (int) errnoHandle.get(state, 0L);
        }

        static Native load() {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                return null;
            }
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            StructLayout stateLayout = Linker.Option.captureStateLayout();
            VarHandle errnoHandle = stateLayout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
            ValueLayout i = ValueLayout.JAVA_INT;
            ValueLayout l = ValueLayout.JAVA_LONG;
            ValueLayout p = ValueLayout.ADDRESS;
            return new Native(
                    linker.downcallHandle(libc.find("socket").orElseThrow(), FunctionDescriptor.of(i, i, i, i), errno),
                    linker.downcallHandle(libc.find("bind").orElseThrow(), FunctionDescriptor.of(i, i, p, i), errno),
                    linker.downcallHandle(libc.find("sendto").orElseThrow(),
                            FunctionDescriptor.of(l, i, p, l, i, p, i), errno),
                    linker.downcallHandle(libc.find("recv").orElseThrow(), FunctionDescriptor.of(l, i, p, l, i), errno),
                    linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                            FunctionDescriptor.of(i, i, i, i, p, i), errno),
                    linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(i, i)),
                    stateLayout, errnoHandle);
        }
    }
}

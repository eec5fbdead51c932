package io.jeventlet.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends oslo.metrics' JSON datagrams to the {@code oslo-metrics} collector's
 * unix datagram socket, as oslo.messaging's metrics client does, so the
 * collector's Prometheus page shows Java and Python services side by side.
 * One datagram is one JSON object:
 * <pre>{@code {"module": "oslo_messaging", "name": "rpc_client_invocation_start_total",
 *  "action": {"action": "inc", "value": null}, "labels": {"call_type": "call", ...}}}</pre>
 * The collector drops a datagram whose labels are not exactly its label set,
 * so the caller ({@link RpcMetricsInterceptor}) sends exactly those.
 *
 * <p>Never blocks or fails a caller: {@link #send} encodes and offers the
 * datagram to a bounded buffer ({@code metrics.metrics_buffer_size}); a full
 * buffer drops it and counts it ({@code jeventlet_oslo_metrics_dropped_total{reason="buffer_full"}}).
 * One sender thread empties the buffer with non-blocking sends: while the
 * collector is absent it drops (counted as {@code collector_absent}) and logs
 * that once per outage; a collector whose queue is full gets about a second
 * to take the datagram before it is dropped ({@code collector_full}). The first datagram that gets through after an outage
 * is logged too, so a collector that starts later is picked up by itself.
 *
 * <p>Thread-safe: {@link #send} from any thread (green or not); one sender
 * thread, a daemon, per client.
 */
public final class OsloMetricsClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OsloMetricsClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] STOP = new byte[0];
    /** How long, in total, the sender waits for a full collector queue before dropping a datagram. */
    private static final long FULL_PATIENCE_MS = 1024;

    private final String socketFile;
    private final ArrayBlockingQueue<byte[]> buffer;
    private final UnixDatagram socket;
    private final Thread sender;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Counter bufferFull;
    private final Counter absent;
    private final Counter collectorFull;
    private volatile boolean closed;

    private OsloMetricsClient(String socketFile, int bufferSize, UnixDatagram socket) {
        this.socketFile = socketFile;
        this.buffer = new ArrayBlockingQueue<>(bufferSize);
        this.socket = socket;
        this.bufferFull = dropCounter("buffer_full");
        this.absent = dropCounter("collector_absent");
        this.collectorFull = dropCounter("collector_full");
        this.sender = Thread.ofPlatform().daemon().name("jeventlet-oslo-metrics").unstarted(this::sendLoop);
    }

    /**
     * A client sending to {@code socketFile} (a path, or {@code @name}) from
     * a buffer of {@code bufferSize} datagrams.
     *
     * @throws IOException if no unix datagram socket can be opened
     * @throws IllegalArgumentException if {@code bufferSize < 1}
     */
    public static OsloMetricsClient start(String socketFile, int bufferSize) throws IOException {
        Objects.requireNonNull(socketFile, "socketFile");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("metrics.metrics_buffer_size = " + bufferSize + " is not valid: must be >= 1");
        }
        OsloMetricsClient c = new OsloMetricsClient(socketFile, bufferSize, UnixDatagram.open());
        c.sender.start();
        LOG.info("oslo.metrics datagrams go to {} (buffer of {})", socketFile, bufferSize);
        return c;
    }

    /**
     * Queues one datagram: metric {@code name} of module {@code oslo_messaging},
     * {@code action} {@code inc} or {@code observe} with {@code value} (null
     * for {@code inc}, as oslo sends it), and {@code labels} in the given
     * order. Never blocks; returns false if it was dropped.
     */
    public boolean send(String name, String action, Object value, Map<String, Object> labels) {
        if (closed) {
            return false;
        }
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("action", action);
        act.put("value", value);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "oslo_messaging");
        m.put("name", name);
        m.put("action", act);
        m.put("labels", labels);
        byte[] datagram;
        try {
            datagram = JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metric " + name + " has labels that are not JSON: " + labels, e);
        }
        if (!buffer.offer(datagram)) {
            dropped.incrementAndGet();
            bufferFull.increment();
            return false;
        }
        return true;
    }

    /** Datagrams the collector took so far. */
    public long sent() {
        return sent.get();
    }

    /** Datagrams dropped so far (buffer full or collector absent). */
    public long dropped() {
        return dropped.get();
    }

    /** Datagrams waiting in the buffer. */
    public int pending() {
        return buffer.size();
    }

    /** Stops the sender (what is still buffered is dropped) and closes the socket. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        buffer.offer(STOP);
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }

    private void sendLoop() {
        boolean outage = false;
        while (!closed) {
            byte[] d;
            try {
                d = buffer.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (d == null || d == STOP) {
                continue;
            }
            UnixDatagram.SendResult result = socket.send(socketFile, d);
            // The collector's queue is short (net.unix.max_dgram_qlen): wait for it here, on the sender's
            // own thread, a little while before dropping; callers meanwhile fill the bounded buffer only.
            for (long waitMs = 1; result == UnixDatagram.SendResult.FULL && waitMs <= FULL_PATIENCE_MS && !closed;
                    waitMs *= 2) {
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException e) {
                    return;
                }
                result = socket.send(socketFile, d);
            }
            switch (result) {
                case SENT -> {
                    sent.incrementAndGet();
                    if (outage) {
                        outage = false;
                        LOG.info("the oslo.metrics collector at {} takes datagrams again", socketFile);
                    }
                }
                case ABSENT, FAILED -> {
                    dropped.incrementAndGet();
                    absent.increment();
                    if (!outage) {
                        outage = true;
                        LOG.warn("no oslo.metrics collector listens at {}: datagrams are dropped (and counted)"
                                + " until one does", socketFile);
                    }
                }
                case FULL -> {
                    dropped.incrementAndGet();
                    collectorFull.increment();
                }
            }
        }
    }

    private static Counter dropCounter(String reason) {
        return Counter.builder("jeventlet.oslo.metrics.dropped")
                .description("oslo.metrics datagrams dropped, by reason").tag("reason", reason)
                .register(OpsMetrics.registry());
    }
}

package io.jeventlet.rpc;

import io.jeventlet.rpc.spi.DriverException;
import io.jeventlet.rpc.spi.ReplyHandler;
import io.jeventlet.rpc.spi.TransportEvents;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of one transport that wait for replies, by {@code _msg_id}:
 * oslo's {@code ReplyWaiters}. It is the driver's {@link ReplyHandler}.
 *
 * <p>Thread-safe: drivers call {@link #onReply} and {@link #onUndeliverable}
 * from any thread; each reply is decoded there and handed to the waiting
 * call's own hub with {@code Hub.callThreadsafe} (never through a green
 * queue, which is hub-confined).
 *
 * <p>Overview: a call registers before it sends (so a reply that comes back
 * at once finds it) and removes itself in a {@code finally} whatever ends
 * it — reply, timeout, kill — so the table holds exactly the calls in
 * flight and cannot leak. A reply for a {@code _msg_id} not in the table (a
 * call that timed out, or a stray) is logged at DEBUG and dropped; a body
 * that cannot be decoded is logged at WARN and dropped, and the call it was
 * for (found by a streaming read) fails at once with the reason. Each drop is a
 * {@code DROPPED} transport event ({@code unknown_reply}, {@code invalid_reply}).
 */
final class ReplyWaiters implements ReplyHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyWaiters.class);

    private final Envelope envelope;
    private final TransportEvents events;
    private final ConcurrentHashMap<String, PendingCall> calls = new ConcurrentHashMap<>();
    private volatile MessagingException closedWith;

    ReplyWaiters(Envelope envelope, TransportEvents events) {
        this.envelope = envelope;
        this.events = events;
    }

    /** Registers a call of the calling green thread; remove it with {@link #remove}. */
    PendingCall register(String msgId) {
        MessagingException closed = closedWith;
        if (closed != null) {
            throw closed;
        }
        PendingCall call = new PendingCall(msgId);
        calls.put(msgId, call);
        closed = closedWith;
        if (closed != null) {
            // closeAll ran between the check and the put: it may not have seen this call.
            calls.remove(msgId);
            throw closed;
        }
        return call;
    }

    void remove(String msgId) {
        calls.remove(msgId);
    }

    /** Calls waiting now. */
    int pending() {
        return calls.size();
    }

    @Override
    public Received onReply(byte[] body) {
        ReplyMessage reply;
        try {
            reply = ReplyMessage.fromWire(envelope.decode(body), envelope);
        } catch (InvalidMessage e) {
            return refused(body, e);
        }
        deliver(reply);
        return new Received(reply.msgId(), reply.ending());
    }

    @Override
    public Received onReplyFor(String msgId, byte[] body, Predicate<Received> admit) {
        ReplyMessage reply;
        try {
            reply = ReplyMessage.fromWire(envelope.decode(body), envelope);
        } catch (InvalidMessage e) {
            Received ended = new Received(msgId, true);
            if (admit.test(ended)) {
                LOG.warn("dropping a reply that cannot be decoded: {}", e.getMessage());
                events.dropped("invalid_reply", e.getMessage());
                fail(msgId, e);
            }
            return ended;
        }
        Received read = new Received(reply.msgId(), reply.ending());
        if (admit.test(read)) {
            deliver(reply);
        }
        return read;
    }

    private void deliver(ReplyMessage reply) {
        PendingCall call = calls.get(reply.msgId());
        if (call == null) {
            LOG.debug("dropping a reply for msg_id {}: no call waits for it (timed out or not ours)", reply.msgId());
            events.dropped("unknown_reply", "reply for msg_id " + reply.msgId() + ": no call waits for it");
        } else {
            call.hub.callThreadsafe(() -> call.deliver(reply));
        }
    }

    private void fail(String msgId, InvalidMessage e) {
        PendingCall call = calls.get(msgId);
        if (call != null) {
            InvalidMessage error = new InvalidMessage("the reply to call " + msgId + " was refused: " + e.getMessage(), e);
            call.hub.callThreadsafe(() -> call.fail(error));
        }
    }

    /**
     * A reply that cannot be decoded: dropped, and when its {@code _msg_id}
     * can still be found (a streaming read of its top level), the waiting
     * call ends at once with the reason instead of waiting out its timeout.
     */
    private Received refused(byte[] body, InvalidMessage e) {
        LOG.warn("dropping a reply that cannot be decoded: {}", e.getMessage());
        events.dropped("invalid_reply", e.getMessage());
        Envelope.Routing routing = envelope.routing(body);
        String msgId = routing == null ? null : routing.msgId();
        if (msgId == null) {
            return null;
        }
        fail(msgId, e);
        return new Received(msgId, true);
    }

    @Override
    public void onUndeliverable(String msgId, DriverException error) {
        PendingCall call = calls.get(msgId);
        if (call == null) {
            LOG.debug("undeliverable msg_id {} has no waiting call: {}", msgId, error.getMessage());
            return;
        }
        MessagingException e = DriverTransport.translate(error);
        call.hub.callThreadsafe(() -> call.fail(e));
    }

    /** Ends every waiting call with {@code error}; later registrations throw it. */
    void closeAll(MessagingException error) {
        closedWith = error;
        for (PendingCall call : calls.values()) {
            call.hub.callThreadsafe(() -> call.fail(error));
        }
    }
}

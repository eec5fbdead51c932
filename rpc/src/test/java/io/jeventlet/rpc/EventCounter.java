package io.jeventlet.rpc;

import io.jeventlet.rpc.spi.TransportEvent;
import io.jeventlet.rpc.spi.TransportEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test helper: records a transport's events (or every transport's), and counts them by kind and reason. */
public final class EventCounter implements AutoCloseable {
    private final List<TransportEvent> events = new CopyOnWriteArrayList<>();
    private final TransportEvents.Subscription subscription;

    private EventCounter(boolean all, Transport transport) {
        this.subscription = all ? TransportEvents.subscribeAll(events::add) : transport.events().subscribe(events::add);
    }

    /** Records {@code transport}'s events. */
    public static EventCounter of(Transport transport) {
        return new EventCounter(false, transport);
    }

    /** Records every transport's events in this JVM. */
    public static EventCounter all() {
        return new EventCounter(true, null);
    }

    /** How many {@code DROPPED} events with {@code reason} were seen. */
    public long dropped(String reason) {
        return count(TransportEvent.Kind.DROPPED, reason);
    }

    /** How many events of {@code kind} with {@code reason} (null: any) were seen. */
    public long count(TransportEvent.Kind kind, String reason) {
        return events.stream().filter(e -> e.kind() == kind && (reason == null || e.reason().equals(reason))).count();
    }

    /** Every event seen, in order. */
    public List<TransportEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        subscription.close();
    }
}

package io.jeventlet.rpc.rabbit;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * amqp-client's consumer dispatch executor: runs each consumer callback on
 * the thread that hands it over, which is the connection's reader thread for
 * every delivery, cancel and consume-ok. Thread-safe; one instance serves
 * every connection.
 *
 * <p>Overview: amqp-client's default hands each delivery from its reader
 * thread to a consumer thread pool, one thread hand-off (a park and an
 * unpark) per message before the driver hands it on again to a hub. The
 * driver's consumers never block — a delivery is decoded or wrapped and given
 * to a hub with {@code Hub.callThreadsafe}, a cancel queues an I/O task, a
 * broker-initiated abort runs on a thread of its own — so they can run on
 * the reader thread itself, in the order the frames arrived (the order
 * amqp-client's pool keeps per channel). The rule that follows: a consumer
 * callback of this driver must never make a channel call that waits for the
 * broker (its reply would be read by the thread that waits for it) and must
 * not throw (amqp-client's exception handler would close the channel from the
 * reader thread, waiting for the close-ok the same way); each catches and
 * logs its own failures. amqp-client reports a callback that threw anyway by
 * interrupting the running thread; that interrupt is cleared here, as it
 * would be cleared on amqp-client's own pool thread, so that it does not
 * reach the reader's next wait.
 */
final class DirectDispatch extends AbstractExecutorService {
    private static final Logger LOG = LoggerFactory.getLogger(DirectDispatch.class);
    static final DirectDispatch INSTANCE = new DirectDispatch();

    private DirectDispatch() {
    }

    @Override
    public void execute(Runnable command) {
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        command.run();
        if (!wasInterrupted && Thread.interrupted()) {
            LOG.warn("a consumer callback failed on {} (amqp-client reported it by an interrupt, cleared)",
                    Thread.currentThread().getName());
        }
    }

    // amqp-client never shuts down an executor it was given; these keep the contract of ExecutorService.

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}

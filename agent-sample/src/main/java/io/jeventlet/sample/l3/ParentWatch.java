package io.jeventlet.sample.l3;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a child process when its parent is gone: what {@link ExitWithParent}
 * turns on for the processes the demo starts, so none outlives the demo,
 * even one killed with SIGKILL.
 *
 * <p>Thread-safe: one daemon platform thread polls the parent every
 * {@link #POLL_MILLIS} ms and runs the action once, on that thread.
 */
final class ParentWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);

    /** How often the parent is checked. */
    static final long POLL_MILLIS = 500;

    private ParentWatch() {}

    /** Starts watching; {@code onParentGone} runs once the parent has exited. Nothing happens without a parent. */
    static void start(Runnable onParentGone) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            LOG.warn("this process has no parent to watch; it will not exit with one");
            return;
        }
        ProcessHandle p = parent.get();
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            while (p.isAlive()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            LOG.warn("parent process {} is gone; stopping", p.pid());
            onParentGone.run();
        });
    }
}

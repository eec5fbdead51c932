package io.jeventlet;

import io.jeventlet.hubs.Hub;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * eventlet's {@code check_hub} for JUnit 5: after a test method passes, the
 * hub of the OS thread that ran it must be empty — no green thread still
 * alive, no timer still pending, no channel still listened to — or the test
 * fails with the hub's dump. {@link VirtualHubs} makes the same check on its
 * own hub. As eventlet does, the hub first gets two yields, so green threads
 * that are about to end can end.
 *
 * <p>Registered for every greenthread test through JUnit's extension
 * auto-detection (this module's surefire configuration turns it on, and
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * lists this class). Other modules get it from greenthread's test-jar with
 * {@code @ExtendWith(EmptyHubCheck.class)}, or by turning auto-detection on
 * ({@code -Djunit.jupiter.extensions.autodetection.enabled=true}).
 *
 * <p>The interceptor runs inside JUnit's timeout wrapper, so on the thread
 * that ran the test method, whose hub is the one the test used.
 */
public final class EmptyHubCheck implements InvocationInterceptor {
    /** Called by JUnit. */
    public EmptyHubCheck() {}

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        invocation.proceed();
        assertEmpty(Hub.get(), 0);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        invocation.proceed();
        assertEmpty(Hub.get(), 0);
    }

    /**
     * Yields twice, then fails if {@code hub} has a live green thread besides
     * the caller's {@code own} ones, a pending timer or a listener. Call it on
     * the hub's own thread.
     */
    static void assertEmpty(Hub hub, int own) {
        Eventlet.sleep(0);
        Eventlet.sleep(0);
        if (hub.greenThreadCount() > own || hub.timerCount() > 0 || hub.listenerCount() > 0) {
            throw new AssertionError("the test left its hub not empty: " + (hub.greenThreadCount() - own)
                    + " green thread(s), " + hub.timerCount() + " timer(s), " + hub.listenerCount()
                    + " listener(s)\n" + hub.dump());
        }
    }
}

package io.jeventlet.sample.l3;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class, and ends the process when its parent exits:
 * {@code java ... io.jeventlet.sample.l3.ExitWithParent MAIN_CLASS ARGS...}.
 * The demo starts every child this way (the proxy, the plugin simulator and
 * the agents), so none outlives the demo even when the demo is killed with
 * SIGKILL and cannot stop them itself.
 *
 * <p>Thread rule: {@link #main} on the main thread, which then runs the
 * wrapped main; {@link ParentWatch} owns one daemon thread.
 */
public final class ExitWithParent {
    private ExitWithParent() {}

    /** Watches the parent, then runs {@code args[0]}'s main with the other arguments. */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ExitWithParent MAIN_CLASS [ARGS...]: MAIN_CLASS is missing");
            System.exit(2);
        }
        ParentWatch.start(() -> System.exit(0));
        Method main;
        try {
            main = Class.forName(args[0]).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            System.err.println("ExitWithParent: " + args[0] + " is not a main class on the class path: " + e);
            System.exit(2);
            return;
        }
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

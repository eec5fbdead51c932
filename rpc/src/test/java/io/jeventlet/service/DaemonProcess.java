package io.jeventlet.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A daemon main running in a child JVM, for the launcher's signal tests:
 * started on this JVM's class path, its log (standard error) read line by
 * line as it comes, signalled with the shell's {@code kill}, and always
 * ended by {@link #close()}. The scenario steps every signal test repeats —
 * wait for a line, send a signal, wait for the exit and time it — are its
 * methods.
 *
 * <p>Overview: a reader thread appends each line of the child's standard
 * error to {@code log} under this object's monitor and notifies; a wait for
 * a line is a {@code wait()} on that monitor with a deadline, woken by the
 * line itself or by the end of the stream (the child's exit), never a
 * sleep. Standard output goes to a file, since nothing waits on it.
 *
 * <p>Thread rule: the test's thread drives it; the reader thread only appends.
 */
final class DaemonProcess implements AutoCloseable {
    /** The longest any single step waits; generous, as the machine may be loaded. */
    static final double STEP_SECONDS = 30;

    private final Process process;
    private final Thread reader;
    private final StringBuilder log = new StringBuilder();
    private boolean ended;
    /** System.nanoTime() of the last signal sent, for {@link #secondsSinceSignal()}. */
    private long signalled;

    private DaemonProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("daemon-log-" + process.pid()).start(this::read);
    }

    /** Starts {@code mainClass} with {@code args} and the JVM options {@code jvmOptions}; its output goes under {@code dir}. */
    static DaemonProcess start(Path dir, Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        return start(dir, List.of(), mainClass, jvmOptions, args);
    }

    /**
     * As {@link #start(Path, Class, List, List)}, the JVM started through
     * {@code sh} with {@code ignored} (e.g. HUP) ignored, as nohup or a
     * background job of a non-interactive shell start it.
     */
    static DaemonProcess startIgnoring(List<String> ignored, Path dir, Class<?> mainClass, List<String> args) {
        return start(dir, ignored, mainClass, List.of(), args);
    }

    private static DaemonProcess start(Path dir, List<String> ignored, Class<?> mainClass, List<String> jvmOptions,
                                       List<String> args) {
        // The daemon gets default signal handling whatever this test JVM inherited: a test run started as a
        // background job or under nohup ignores INT or HUP, and a child would keep them ignored.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,QUIT,TERM,USR2"));
        if (!ignored.isEmpty()) {
            cmd.addAll(List.of("sh", "-c", "trap '' " + String.join(" ", ignored) + "; exec \"$0\" \"$@\""));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx256m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=service-main.xml",
                mainClass.getName()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).start();
            p.getOutputStream().close();
            return new DaemonProcess(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + mainClass.getName() + ": " + e, e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (this) {
                    log.append(line).append('\n');
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                log.append("(reading the log failed: ").append(e).append(")\n");
            }
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /** The log so far. */
    synchronized String log() {
        return log.toString();
    }

    /** Waits until the log contains {@code text}; fails if the child's log ends first or after {@link #STEP_SECONDS}. */
    synchronized DaemonProcess awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (STEP_SECONDS * 1e9);
        while (log.indexOf(text) < 0) {
            assertTrue(!ended, "the daemon ended before it logged '" + text + "':\n" + log);
            long left = deadline - System.nanoTime();
            assertTrue(left > 0, "the daemon never logged '" + text + "' within " + STEP_SECONDS + " s:\n" + log);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return this;
    }

    /** How many lines of the log contain {@code text}. */
    long count(String text) {
        return log().lines().filter(l -> l.contains(text)).count();
    }

    /** Sends {@code signal} (TERM, INT, HUP, USR2) with the shell's built-in kill (a minimal machine may have no kill binary). */
    DaemonProcess signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + process.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
        signalled = System.nanoTime();
        return this;
    }

    /** Its exit status, waiting up to {@link #STEP_SECONDS} for it (and for the rest of its log). */
    int exitStatus() throws InterruptedException {
        assertTrue(process.waitFor((long) STEP_SECONDS, TimeUnit.SECONDS), "the daemon did not exit:\n" + log());
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** Seconds from the last signal to now (call it after {@link #exitStatus()}: the time the exit took). */
    double secondsSinceSignal() {
        return (System.nanoTime() - signalled) / 1e9;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Ends the child if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }
}

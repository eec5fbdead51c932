package io.jeventlet.tests.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One daemon of an end-to-end deployment running in its own JVM: started on
 * this JVM's class path with the fast-start flags, its standard output and
 * error going to a log file the tests read (readiness lines, the tail shown
 * on a failure), signalled with {@code kill}, and always stopped.
 *
 * <p>Thread rule: not thread-safe; a test's main thread owns it.
 */
final class ChildJvm implements AutoCloseable {
    /** The JVM flags every child gets: fast start, small heap, the add-opens green threads need. */
    static final List<String> JVM_FLAGS = List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx256m", "-XX:+UseSerialGC", "-Djdk.trackAllThreads=false",
            "-Dlogback.configurationFile=e2e-child-logback.xml");

    private final String name;
    private final Path log;
    private final Process process;

    private ChildJvm(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code mainClass} with {@code args}; its output goes to {@code logDir/name.log} (appended). */
    static ChildJvm start(String name, Path logDir, String mainClass, List<String> jvmArgs, List<String> args) {
        // Default signal handling whatever this JVM inherited (a background job ignores INT, nohup HUP).
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,QUIT,TERM,USR2"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Path log = logDir.resolve(name + ".log");
        try {
            Files.writeString(log, "---- " + String.join(" ", args) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            p.getOutputStream().close();
            return new ChildJvm(name, log, p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + mainClass + "): " + e, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Sends {@code signal} (TERM, HUP, KILL, ...) with {@code kill}. */
    void signal(String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " (" + name + ") failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /** The exit status once the process has ended within {@code seconds}; fails naming the child otherwise. */
    int awaitExit(double seconds) {
        try {
            if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running " + seconds + " s later\n" + tail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** The whole log so far. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Lines of the log, since the child's last start, matching {@code regex}. */
    long count(String regex) {
        Pattern p = Pattern.compile(regex);
        String text = logText();
        int start = text.lastIndexOf("\n---- ");
        return text.substring(Math.max(0, start)).lines().filter(l -> p.matcher(l).find()).count();
    }

    /** Waits until a log line of this run matches {@code regex}; fails with the log's tail if it exits or the deadline passes. */
    void awaitLog(String regex, double seconds) {
        await(seconds, () -> count(regex) > 0, "a log line matching /" + regex + "/");
    }

    /**
     * Waits until a log line of this run matches {@code pattern} and returns its first group (a
     * port the child picked, say); fails as {@link #awaitLog} does.
     */
    String awaitMatch(Pattern pattern, double seconds) {
        await(seconds, () -> count(pattern.pattern()) > 0, "a log line matching /" + pattern + "/");
        String text = logText();
        Matcher m = pattern.matcher(text.substring(Math.max(0, text.lastIndexOf("\n---- "))));
        if (!m.find()) {
            throw new AssertionError(name + ": the line matching /" + pattern + "/ is gone\n" + tail(60));
        }
        return m.group(1);
    }

    /** Polls {@code condition} every 50 ms for up to {@code seconds}; fails naming {@code what} with the log's tail. */
    void await(double seconds, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " while waiting for " + what
                        + "\n" + tail(60));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no " + what + " within " + seconds + " s\n" + tail(60));
            }
            Polling.pause();
        }
    }

    /** The last {@code lines} lines of the log, headed by the child's name. */
    String tail(int lines) {
        List<String> all = logText().lines().toList();
        return "---- last " + lines + " lines of " + name + " (" + log + ") ----\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops the child: SIGTERM, up to 10 s, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

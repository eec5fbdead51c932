package io.jeventlet.hubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md: green threads need {@code --add-opens java.base/java.lang=ALL-UNNAMED},
 * and its absence must give a clear one-line error. A child JVM started
 * without the flag runs {@link StartHubMain}.
 */
class MissingAddOpensTest {
    private static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";
    /** Bound on the child JVM's run; it is destroyed if it overruns. */
    private static final long CHILD_TIMEOUT_SECONDS = 30;

    private record Outcome(boolean exited, int exitCode, String stdout, String stderr) {}

    private static Outcome runWithoutAddOpens() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StartHubMain.class.getName());
        // Make sure nothing slips the flag in through the environment.
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        Process p = pb.start();
        FutureTask<String> out = new FutureTask<>(() -> new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        FutureTask<String> err = new FutureTask<>(() -> new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        Thread outReader = Thread.ofPlatform().daemon().name("add-opens-child-stdout").start(out);
        Thread errReader = Thread.ofPlatform().daemon().name("add-opens-child-stderr").start(err);
        boolean exited = p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String stdout = out.get(10, TimeUnit.SECONDS);
        String stderr = err.get(10, TimeUnit.SECONDS);
        assertTrue(outReader.join(Duration.ofSeconds(10)) && errReader.join(Duration.ofSeconds(10)));
        return new Outcome(exited, exited ? p.exitValue() : -1, stdout, stderr);
    }

    /** Without --add-opens, starting a hub fails the JVM with a non-zero exit and one stderr line naming the flag. */
    @Test
    void missingAddOpensFailsWithOneLineNamingTheFlag() throws Exception {
        Outcome o = runWithoutAddOpens();
        assertTrue(o.exited(), "the child JVM hung and was destroyed; stderr:\n" + o.stderr());
        assertNotEquals(0, o.exitCode(), "the child JVM started a hub without the flag; stdout:\n" + o.stdout());
        assertFalse(o.stdout().contains("hub started"), o.stdout());
        List<String> naming = o.stderr().lines().filter(l -> l.contains(FLAG)).toList();
        assertEquals(1, naming.size(), "expected one stderr line naming " + FLAG + "; stderr:\n" + o.stderr());
        assertTrue(naming.get(0).contains("jeventlet"), "the line should say who needs the flag: " + naming.get(0));
        String first = o.stderr().lines().findFirst().orElse("");
        assertTrue(first.contains(FLAG) && first.contains("IllegalStateException"),
                "the first stderr line should be the error itself, not a wrapper: " + first);
    }
}

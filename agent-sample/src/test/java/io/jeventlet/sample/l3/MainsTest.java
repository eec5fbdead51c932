package io.jeventlet.sample.l3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jeventlet.conf.ConfigCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The mains' command lines: help, bad values, and a short demo in one JVM. */
class MainsTest {

    private record Run(int status, String out, String err) {
    }

    /** Runs {@code command} on a fresh platform thread, so its main greenlet and hub are its own. */
    private static Run run(Callable<Integer> command, String... args) throws Exception {
        CompletableFuture<Run> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("mains-test").start(() -> {
            try {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cl = ConfigCommandLine.commandLine(command);
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                int status = cl.execute(args);
                result.complete(new Run(status, out.toString(), err.toString()));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(50, TimeUnit.SECONDS);
        } finally {
            t.join(10_000);
        }
    }

    /** Each main's --help exits 0 and shows its own options. */
    @Test
    void helpOfEachMain() throws Exception {
        Run demo = run(new DemoMain(), "--help");
        assertEquals(0, demo.status(), demo.err());
        assertTrue(demo.out().contains("--in-process") && demo.out().contains("--transport-url"), demo.out());
        Run agent = run(new L3AgentMain(), "--help");
        assertEquals(0, agent.status(), agent.err());
        assertTrue(agent.out().contains("l3-agent"), agent.out());
        Run plugin = run(new PluginSimMain(), "--help");
        assertEquals(0, plugin.status(), plugin.err());
        assertTrue(plugin.out().contains("l3-plugin-sim"), plugin.out());
    }

    /** An option value out of its range exits 2 and names the option, the value and the rule. */
    @Test
    void invalidValuesExitTwoWithAClearMessage() throws Exception {
        Run agent = run(new L3AgentMain(), "--agent.report_interval=0");
        assertEquals(2, agent.status(), agent.err());
        assertTrue(agent.err().contains("agent.report_interval") && agent.err().contains("> 0"), agent.err());
        Run plugin = run(new PluginSimMain(), "--plugin.drop_reply_percent=150");
        assertEquals(2, plugin.status(), plugin.err());
        assertTrue(plugin.err().contains("plugin.drop_reply_percent") && plugin.err().contains("150"), plugin.err());
        Run url = run(new L3AgentMain(), "--rpc.transport_url=zmq:/nowhere");
        assertEquals(2, url.status(), url.err());
        assertTrue(url.err().contains("zmq:/nowhere"), url.err());
        Run demo = run(new DemoMain(), "--agents", "0");
        assertEquals(2, demo.status(), demo.err());
        assertTrue(demo.err().contains("demo.agents"), demo.err());
    }

    /** A short in-process demo with faults on exits 0, and the last line of its summary is the agreement. */
    @Test
    void shortInProcessDemoEndsInAgreement() throws Exception {
        Run r = run(new DemoMain(), "--in-process", "--duration", "2", "--agents", "2", "--routers", "10",
                "--rate", "50", "--faults", "lossy", "--rpc.response_timeout=1");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().strip().endsWith("agreement: every agent's routers equal what the plugin scheduled to it"),
                r.out());
        assertTrue(r.out().contains("replies dropped"), r.out());
    }
}

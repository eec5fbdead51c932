package io.jeventlet.tests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A plugin simulator that misbehaves on purpose ({@code plugin.*} fault
 * options), restarted with each scenario's faults, in front of two L3 agents
 * that stay up across the scenarios: each agent's JVM, a proxy's and the
 * plugin's are separate processes over tcp. The agents log each update they
 * start with its priority ({@code -De2e.agent.level=DEBUG}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class PluginFaultsE2ETest {
    static final double CONVERGE = 30;
    private static final Pattern START = Pattern.compile(
            "Starting router update for (\\S+), action \\S+, priority (\\d)");

    private Deployment d;

    @BeforeAll
    @Timeout(Deployment.START_TIMEOUT)
    void start() {
        d = Deployment.zmq("faults", 2, 0, List.of("--plugin.routers=0"),
                List.of("--router_driver.operation_latency=5ms"), List.of("-De2e.agent.level=DEBUG"));
    }

    @AfterAll
    void stop() {
        if (d != null) {
            d.close();
        }
    }

    @BeforeEach
    void allAgentsUp() {
        d.ensureAgents();
    }

    /**
     * Routers that always come malformed are logged, retried at the full
     * sync's priority (2) after the notification's (1), and dropped once
     * their tries run out, each drop logged and counted; the agents keep
     * serving.
     */
    @Test
    @Order(1)
    void alwaysMalformedRoutersAreRetriedThenDropped() {
        d.restartPlugin(List.of("--plugin.routers=6", "--plugin.seed=11", "--plugin.malformed_router_percent=100"));
        d.awaitRegistered();
        Polling.until(CONVERGE, 200, () -> {
            long dropped = 0;
            for (String host : d.hosts()) {
                Map<String, Object> s = d.agentStatus(host);
                if (!Boolean.TRUE.equals(s.get("idle")) || Boolean.TRUE.equals(s.get("fullsync"))) {
                    return host + " still busy";
                }
                dropped += Deployment.num(s, "updates_dropped");
            }
            return dropped >= 6 ? null : "only " + dropped + " updates dropped so far";
        }, d::tails);
        for (String host : d.hosts()) {
            ChildJvm agent = d.agent(host);
            Map<String, Object> s = d.agentStatus(host);
            assertEquals(Map.of(), Deployment.revisions(s.get("routers")), host + " applied a malformed router");
            assertEquals(Deployment.num(s, "updates_dropped"), agent.count("Hit retry limit with router update"),
                    host + ": drops counted vs logged\n" + agent.tail(20));
            assertTrue(agent.count("from the plugin is malformed: _interfaces = 'not-a-list', expected") > 0,
                    host + " logged no malformed router naming its field\n" + agent.tail(20));
        }
        assertTrue(Deployment.num(d.pluginStatus(), "routers_malformed") >= 6);
        assertTrue(retriedAtLowerPriority(), "no failed update was retried at priority 2\n" + d.tails());
    }

    /** True if some router's update, after a failed try, was started again at priority 2. */
    private boolean retriedAtLowerPriority() {
        for (String host : d.hosts()) {
            Map<String, Integer> first = new java.util.HashMap<>();
            for (String line : d.agent(host).logText().lines().toList()) {
                Matcher m = START.matcher(line);
                if (m.find()) {
                    Integer p = first.putIfAbsent(m.group(1), Integer.parseInt(m.group(2)));
                    if (p != null && p == 1 && m.group(2).equals("2")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A quarter of the routers come malformed: each is logged and fetched
     * again until it comes whole, so the agents end up agreeing with the
     * plugin, never having crashed.
     */
    @Test
    @Order(2)
    void someMalformedRoutersAreRetriedUntilApplied() {
        d.restartPlugin(List.of("--plugin.routers=16", "--plugin.seed=12", "--plugin.malformed_router_percent=25"));
        d.awaitRegistered();
        d.setRate(20);
        Polling.until(CONVERGE, 200, () -> Deployment.num(d.pluginStatus(), "routers_malformed") >= 5 ? null
                : "fewer than 5 routers sent malformed", d::tails);
        d.awaitConvergence(CONVERGE);
        long failed = 0;
        for (String host : d.hosts()) {
            assertTrue(d.agent(host).alive(), host + " died");
            failed += Deployment.num(d.agentStatus(host), "updates_failed");
        }
        assertTrue(failed > 0, "no update failed on a malformed router");
    }

    /**
     * The plugin goes silent for 20 s: an agent that starts meanwhile sees its
     * calls time out and backs off (BackingOffClient doubles the method's
     * timeout, whichever of get_router_ids and sync_routers timed out first),
     * and once the plugin speaks again it syncs and agrees with it. The agent
     * is stopped before the plugin restarts, so the whole silence is left
     * for its start; the time-out is read from its status, not raced for in
     * its log.
     */
    @Test
    @Order(3)
    void silentPluginMakesTheAgentBackOffAndRecover() {
        ChildJvm agent = d.agent("agent-1");
        agent.signal("TERM");
        assertEquals(0, agent.awaitExit(20), agent.tail(30));
        d.restartPlugin(List.of("--plugin.routers=8", "--plugin.seed=13", "--plugin.silent_after=1s",
                "--plugin.silent_for=20s"));
        ChildJvm restarted = d.startAgent("agent-1");
        Polling.until(20, 200, () -> Deployment.num(d.agentStatus("agent-1"), "plugin_calls_timed_out") > 0 ? null
                : "no call of agent-1 to the plugin has timed out yet", d::tails);
        assertTrue(restarted.count("Increasing timeout for (get_router_ids|sync_routers) calls to 4\\.0 seconds") > 0,
                "agent-1 did not back off after its call timed out\n" + restarted.tail(30));
        d.awaitConvergence(CONVERGE);
        assertTrue(Deployment.num(d.agentStatus("agent-1"), "full_syncs") >= 1);
        assertTrue(Deployment.revisions(d.agentStatus("agent-1").get("routers")).size()
                + Deployment.revisions(d.agentStatus("agent-2").get("routers")).size() >= 8);
    }
}

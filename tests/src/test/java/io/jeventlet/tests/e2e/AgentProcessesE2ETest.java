package io.jeventlet.tests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The sample deployment as real processes over tcp: a ZeroMQ proxy, the
 * plugin simulator and three L3 agents, each its own JVM, sharing one set of
 * children across the scenarios (each scenario leaves all three agents
 * running and agreeing with the plugin). Every check is made over the bus
 * with the demo's status calls, from the agents' own counters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class AgentProcessesE2ETest {
    /** Seconds the agents get to agree with the plugin once the changes stop. */
    static final double CONVERGE = 30;

    /** Closed after the last scenario (not at all if it never started). */
    @AutoClose
    private Deployment d;

    @BeforeAll
    @Timeout(Deployment.START_TIMEOUT)
    void start() {
        d = Deployment.zmq("processes", 3, 0, List.of("--plugin.routers=30", "--plugin.seed=7"),
                List.of("--router_driver.operation_latency=20ms"));
        d.awaitConvergence(CONVERGE);
    }

    /** Every agent running and registered alive before a scenario, whatever the previous one left. */
    @BeforeEach
    void allAgentsUp() {
        d.ensureAgents();
    }

    /**
     * Under a burst of changes to few routers, no router is processed by two
     * workers at once, updates to a router being processed are coalesced, and
     * once the changes stop every agent holds what the plugin schedules to it.
     */
    @Test
    @Order(1)
    void exclusiveAndCoalescedUnderLoad() {
        long before = superseded();
        d.burst(150, 400);
        d.awaitConvergence(CONVERGE);
        d.assertNoRouterProcessedTwiceAtOnce();
        assertTrue(superseded() > before, "no update was coalesced with a newer one under load");
    }

    /**
     * SIGTERM in the middle of a burst: the agent finishes the updates it had
     * taken, stops its service and exits 0, without killing a busy worker.
     */
    @Test
    @Order(2)
    void sigtermDrainsAndExitsZero() {
        d.setRate(100);
        ChildJvm agent = d.agent("agent-2");
        long processed = Deployment.num(d.agentStatus("agent-2"), "updates_processed");
        Polling.until(20, 20, () -> {
            Map<String, Object> s = d.agentStatus("agent-2");
            return !Boolean.TRUE.equals(s.get("idle")) && Deployment.num(s, "updates_processed") > processed ? null
                    : "agent-2 not busy yet";
        }, d::tails);
        agent.signal("TERM");
        assertEquals(0, agent.awaitExit(20), "exit status after SIGTERM\n" + agent.tail(30));
        assertEquals(1, agent.count("L3 agent agent-2 stopped"), agent.tail(30));
        assertEquals(0, agent.count("still busy .* after stop"), "a busy worker was killed\n" + agent.tail(30));
        d.startAgent("agent-2");
        d.awaitConvergence(CONVERGE);
    }

    /**
     * An agent restarted with an empty host syncs every router the plugin
     * schedules to it (its start-up full sync) and agrees with the plugin.
     * The plugin's agent_down_time is raised above the longest restart for
     * the scenario: a restart on a loaded machine outlasts the deployment's
     * short one, and the plugin would move the routers away meanwhile.
     */
    @Test
    @Order(3)
    void restartedAgentSyncsFully() {
        d.setAgentDownTime(2 * Deployment.START_SECONDS);
        try {
            String host = busiest();
            ChildJvm agent = d.agent(host);
            int routers = Deployment.revisions(d.agentStatus(host).get("routers")).size();
            agent.signal("TERM");
            assertEquals(0, agent.awaitExit(20), agent.tail(30));
            d.startAgent(host);
            d.awaitConvergence(CONVERGE);
            Map<String, Object> s = d.agentStatus(host);
            assertTrue(Deployment.num(s, "full_syncs") >= 1, host + " agrees without a full sync: " + s);
            assertEquals(routers, Deployment.revisions(s.get("routers")).size(), "routers after the restart");
        } finally {
            d.setAgentDownTime(Deployment.AGENT_DOWN_TIME);
        }
    }

    /**
     * An agent killed with SIGKILL during changes is declared down by the
     * plugin after agent_down_time; its routers move to the other agents,
     * which apply them; restarted, it is answered revived, syncs fully and
     * takes new routers.
     */
    @Test
    @Order(4)
    void killedAgentsRoutersMoveToOthers() {
        d.awaitConvergence(CONVERGE);
        String victim = busiest();
        Set<String> hosted = Deployment.revisions(d.agentStatus(victim).get("routers")).keySet();
        long rescheduled = Deployment.num(d.pluginStatus(), "rescheduled");
        d.killAgent(victim);
        d.setRate(20);
        d.awaitConvergence(CONVERGE);
        Map<String, Map<String, Long>> schedule = d.schedule(d.pluginStatus());
        Set<String> others = new TreeSet<>(d.hosts());
        others.remove(victim);
        assertEquals(others, schedule.keySet(), "alive agents at the plugin");
        Set<String> moved = new TreeSet<>();
        schedule.values().forEach(routers -> moved.addAll(routers.keySet()));
        moved.retainAll(hosted);
        // Convergence above shows every router of the database applied by its alive agent; those
        // of the victim's that the workload did not delete meanwhile are now on the others.
        assertTrue(!moved.isEmpty(), "none of the victim's routers " + hosted + " moved to another agent");
        assertTrue(Deployment.num(d.pluginStatus(), "rescheduled") - rescheduled >= moved.size(),
                "the plugin counts fewer reschedules than routers moved: " + moved);
        d.startAgent(victim);
        d.awaitRegistered();
        d.setRate(20);
        assertEquals(1, d.agent(victim).count("Agent has just been revived. Doing a full sync."),
                "the restarted " + victim + " was not answered revived\n" + d.agent(victim).tail(20));
        Polling.until(20, 100, () -> Deployment.revisions(d.agentStatus(victim).get("routers")).isEmpty()
                ? victim + " got no router since its revival" : null, d::tails);
        d.awaitConvergence(CONVERGE);
    }

    /**
     * The plugin restarted (with a fresh database) while the agents run:
     * they learn it from their state reports, sync fully and agree with the
     * new plugin, dropping the routers it no longer has.
     */
    @Test
    @Order(5)
    void pluginRestartMakesAgentsSyncFully() {
        d.setRate(30);
        Polling.until(20, 100, () -> Deployment.num(d.pluginStatus(), "created") >= 3 ? null
                : "fewer than 3 routers created", d::tails);
        ChildJvm plugin = d.plugin();
        plugin.signal("TERM");
        assertEquals(0, plugin.awaitExit(20), plugin.tail(30));
        d.startPlugin();
        d.awaitRegistered();
        d.awaitConvergence(CONVERGE);
    }

    /**
     * The proxy dies (SIGKILL) in the middle of a workload and comes back on
     * the same port after every agent has missed a state report: afterwards
     * every agent agrees with the plugin's database, nothing lost.
     */
    @Test
    @Order(6)
    void proxyOutageLosesNothing() {
        d.setRate(30);
        long created = Deployment.num(d.pluginStatus(), "created");
        Polling.until(20, 100, () -> Deployment.num(d.pluginStatus(), "created") > created + 2 ? null
                : "the workload made no router yet", d::tails);
        ChildJvm proxy = d.proxy();
        proxy.signal("KILL");
        proxy.awaitExit(10);
        // The outage lasts until every agent is in the failed-report state (a second or so). An
        // agent logs entering it and leaving it once each, so it is in it while it has logged more
        // of the one than of the other. Not "one more failure line than at the kill": an agent whose
        // report had just timed out before the kill was in that state already and logs no new one.
        for (String host : d.hosts()) {
            d.agent(host).await(20, () -> d.agent(host).count("Failed reporting state")
                            > d.agent(host).count("Successfully reported state after a previous failure"),
                    "the agent in the failed state-report state during the outage");
        }
        d.startProxy();
        d.awaitRegistered();
        d.awaitConvergence(CONVERGE);
    }

    /**
     * SIGHUP re-reads the configuration file: the mutable report interval
     * takes the new value, the immutable host keeps the old one (the change
     * logged and ignored), and the agent goes on serving under its name.
     */
    @Test
    @Order(7)
    void sighupChangesTheReportIntervalNotTheHost() throws Exception {
        java.nio.file.Path conf = d.dir().resolve("agent-hup.conf");
        java.nio.file.Files.writeString(conf, "agent { host = \"agent-hup\", report_interval = 500ms }\n");
        try {
            ChildJvm agent = d.startAgentFromFile("agent-hup", conf);
            assertEquals(0.5, ((Number) d.agentStatus("agent-hup").get("report_interval")).doubleValue());
            java.nio.file.Files.writeString(conf, "agent { host = \"renamed\", report_interval = 1500ms }\n");
            agent.signal("HUP");
            agent.awaitLog("report_interval 0\\.5 s -> 1\\.5 s", 20);
            assertEquals(1, agent.count("Ignoring change to immutable option agent.host"), agent.tail(20));
            Map<String, Object> s = d.agentStatus("agent-hup");
            assertEquals("agent-hup", s.get("host"));
            assertEquals(1.5, ((Number) s.get("report_interval")).doubleValue());
            // Two reports at the new pace take about 1.5 s at least (0.5 s at the old one).
            long reports = Deployment.num(s, "reports");
            long t0 = System.nanoTime();
            Polling.until(20, 50, () -> Deployment.num(d.agentStatus("agent-hup"), "reports") >= reports + 2 ? null
                    : "fewer than 2 more reports", d::tails);
            double took = (System.nanoTime() - t0) / 1e9;
            assertTrue(took > 1.2, "2 reports in " + took + " s: still the old interval");
            agent.signal("TERM");
            assertEquals(0, agent.awaitExit(20), agent.tail(20));
        } finally {
            d.forget("agent-hup");
        }
    }

    /** The agent hosting the most routers. */
    private String busiest() {
        String best = null;
        int most = -1;
        for (String host : d.hosts()) {
            int n = Deployment.revisions(d.agentStatus(host).get("routers")).size();
            if (n > most) {
                best = host;
                most = n;
            }
        }
        assertTrue(most > 0, "no agent hosts a router");
        return best;
    }

    private long superseded() {
        long n = 0;
        for (String host : d.hosts()) {
            n += Deployment.num(d.agentStatus(host), "updates_superseded");
        }
        return n;
    }
}

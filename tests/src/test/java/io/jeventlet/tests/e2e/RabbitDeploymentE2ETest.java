package io.jeventlet.tests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The core scenario over {@code rabbit://}: the plugin simulator and three
 * L3 agents as separate JVMs on the local RabbitMQ broker (started by
 * {@code .ci/run} with {@code bin/rabbitmq-local start}). Without a broker
 * at 127.0.0.1:5672 the class fails, naming that command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class RabbitDeploymentE2ETest {
    static final String BROKER = "rabbit://guest:guest@127.0.0.1:5672/";
    static final double CONVERGE = 30;

    /** Closed after the last scenario (not at all if it never started). */
    @AutoClose
    private Deployment d;

    @BeforeAll
    @Timeout(Deployment.START_TIMEOUT)
    void start() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5672), 2000);
        } catch (IOException e) {
            fail("no RabbitMQ broker answers at 127.0.0.1:5672 (" + e.getMessage()
                    + "): start one with `bin/rabbitmq-local start` (.ci/run does)");
        }
        d = Deployment.onBus("rabbit", BROKER, 3, 0, List.of("--plugin.routers=30", "--plugin.seed=21"),
                List.of("--router_driver.operation_latency=20ms"));
        d.awaitConvergence(CONVERGE);
    }

    /**
     * Under a burst of changes no router is processed by two workers at
     * once, and once the changes stop every agent holds what the plugin
     * schedules to it.
     */
    @Test
    @Order(1)
    void agentsConvergeUnderLoad() {
        d.burst(100, 200);
        d.awaitConvergence(CONVERGE);
        d.assertNoRouterProcessedTwiceAtOnce();
    }

    /**
     * An agent killed with SIGKILL is declared down; its routers move to the
     * other agents, which apply them.
     */
    @Test
    @Order(2)
    void killedAgentsRoutersMoveToOthers() {
        String victim = d.hosts().stream().max(java.util.Comparator.comparingInt(
                h -> Deployment.revisions(d.agentStatus(h).get("routers")).size())).orElseThrow();
        Set<String> hosted = Deployment.revisions(d.agentStatus(victim).get("routers")).keySet();
        assertTrue(!hosted.isEmpty(), "no agent hosts a router");
        d.killAgent(victim);
        d.awaitConvergence(CONVERGE);
        Set<String> moved = new TreeSet<>();
        d.schedule(d.pluginStatus()).forEach((host, routers) -> {
            assertTrue(!host.equals(victim), victim + " still listed alive");
            moved.addAll(routers.keySet());
        });
        assertTrue(moved.containsAll(hosted), "not moved: " + hosted);
    }
}

package io.jeventlet.sample.l3;

import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcEndpoint;
import java.util.Map;

/**
 * A demo-only endpoint in namespace {@value #NAMESPACE}, served by the agent
 * next to {@link L3AgentEndpoint}: {@code demo_status} returns the agent's
 * routers and counters ({@link L3Agent#status()}), so the demo learns what
 * each agent applied over the bus, like everything else.
 *
 * <p>Thread rule: Hub-confined (the agent's hub).
 */
@RpcEndpoint(namespace = DemoStatusEndpoint.NAMESPACE, version = "1.0")
public final class DemoStatusEndpoint {
    /** The namespace of the demo's calls. */
    public static final String NAMESPACE = "jeventlet_demo";

    private final L3Agent agent;

    /** An endpoint for {@code agent}. */
    public DemoStatusEndpoint(L3Agent agent) {
        this.agent = agent;
    }

    /** The agent's routers ({@code id -> revision}), whether it is idle, its counters and latency histogram. */
    public Map<String, Object> demoStatus(Context ctx) {
        return agent.status();
    }
}

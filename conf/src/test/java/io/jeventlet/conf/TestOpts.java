package io.jeventlet.conf;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Option groups used by the tests: one option of every type; defaults in the test reference.conf. */
final class TestOpts {

    enum Level { DEBUG, INFO, WARNING }

    static final OptGroup AGENT = new OptGroup("agent", "The agent's own settings.");
    static final Opt<Double> REPORT_INTERVAL = AGENT.add(Opt.durationOpt("report_interval").min(1).mutable()
            .deprecatedNames("old_report_interval").help("Seconds between two state reports to the server."));
    static final Opt<String> HOST = AGENT.add(Opt.hostAddressOpt("host").help("Address to bind."));
    static final Opt<Integer> WORKERS = AGENT.add(Opt.intOpt("workers").min(1).max(64).mutable()
            .help("Size of the worker pool."));
    static final Opt<Double> RATIO = AGENT.add(Opt.floatOpt("ratio").min(0).max(1));
    static final Opt<Boolean> DEBUG = AGENT.add(Opt.boolOpt("debug").mutable());
    static final Opt<Integer> PORT = AGENT.add(Opt.portOpt("port"));
    static final Opt<Long> BUFFER = AGENT.add(Opt.memorySizeOpt("buffer"));
    static final Opt<Level> LEVEL = AGENT.add(Opt.enumOpt("level", Level.class));
    static final Opt<String> MODE = AGENT.add(Opt.stringOpt("mode").choices("legacy", "dvr"));
    static final Opt<List<String>> PLUGINS = AGENT.add(Opt.listOpt("plugins"));
    static final Opt<Map<String, String>> LABELS = AGENT.add(Opt.mapOpt("labels"));
    static final Opt<String> PASSWORD = AGENT.add(Opt.stringOpt("password").secret().mutable());
    static final Opt<String> NICKNAME = AGENT.add(Opt.stringOpt("nickname"));

    static final OptGroup RPC = new OptGroup("rpc", "Remote procedure calls.");
    static final Opt<Double> RESPONSE_TIMEOUT = RPC.add(Opt.durationOpt("response_timeout").greaterThan(0)
            .help("Seconds to wait for a reply."));
    static final Opt<URI> TRANSPORT_URL = RPC.add(Opt.urlOpt("transport_url").required()
            .help("Where the message bus is."));

    static final String BASE = "rpc.transport_url = \"zmq+tcp://127.0.0.1:9501\"\n";

    private TestOpts() {
    }
}

package io.jeventlet.rpc.zmq;

import io.jeventlet.Eventlet;
import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.Context;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.RpcServer;
import io.jeventlet.rpc.Target;
import io.jeventlet.rpc.Transport;
import java.util.List;

/**
 * A jeventlet RPC server in its own JVM for ZmqChildJvmTest: serves topic
 * {@code echo}, server {@code args[1]}, on {@code args[0]} (a zmq:// URL);
 * prints READY once registered and serves until the process is ended.
 */
public final class ZmqEchoServerMain {

    /** The endpoint: answers with its process id, so a caller can tell which JVM served it. */
    public static final class Echo {
        public long pid(Context ctx) {
            return ProcessHandle.current().pid();
        }

        public int inc(Context ctx, int n) {
            return n + 1;
        }
    }

    public static void main(String[] args) {
        ConfigOpts conf = ConfigOpts.builder()
                .override(RpcOpts.TRANSPORT_URL, args[0])
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25)
                .override(ZmqOpts.REGISTRATION_TTL, 2.5)
                .load();
        Transport transport = Transport.create(conf);
        RpcServer server = new RpcServer(transport, new Target("echo").withServer(args[1]), List.of(new Echo()));
        server.start();
        System.out.println("READY");
        System.out.flush();
        while (true) {
            // A timer keeps the main hub alive: requests arrive through callThreadsafe, which the
            // hub does not count as something that could wake a sleeper (it would raise LoopExit).
            Eventlet.sleep(1);
        }
    }
}

package io.jeventlet.rpc.zmq;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.SeamsContract;
import io.jeventlet.rpc.Transport;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The seams on zmq:// through a ZmqProxy. */
class ZmqSeamsTest extends SeamsContract {
    private ZmqProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = ZmqProxy.start("tcp://127.0.0.1:0");
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Override
    protected Transport transport(boolean allowTestErrors) {
        ConfigOpts.Builder b = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, proxy.transportUrl())
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25).override(ZmqOpts.REGISTRATION_TTL, 2.5);
        if (allowTestErrors) {
            b.override(RpcOpts.ALLOWED_REMOTE_EXMODS, List.of("io.jeventlet.rpc.testerrors"));
        }
        return Transport.create(b.load());
    }
}

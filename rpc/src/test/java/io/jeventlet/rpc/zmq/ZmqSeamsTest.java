package io.jeventlet.rpc.zmq;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.SeamsContract;
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
    protected ConfigOpts.Builder conf() {
        return ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, proxy.transportUrl())
                .override(ZmqOpts.HEARTBEAT_INTERVAL, 0.25).override(ZmqOpts.REGISTRATION_TTL, 2.5);
    }
}

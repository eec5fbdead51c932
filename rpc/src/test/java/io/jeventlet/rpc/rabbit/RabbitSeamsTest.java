package io.jeventlet.rpc.rabbit;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.RpcOpts;
import io.jeventlet.rpc.SeamsContract;
import io.jeventlet.rpc.Transport;
import java.util.List;

/** The seams on rabbit:// on the real broker. */
class RabbitSeamsTest extends SeamsContract {

    @Override
    protected Transport transport(boolean allowTestErrors) {
        ConfigOpts.Builder b = ConfigOpts.builder().commandLine("rpc.transport_url", RabbitBroker.url())
                .commandLine("rabbit.rabbit_retry_interval", "0.2s")
                .commandLine("rabbit.rabbit_retry_backoff", "0.2s")
                .commandLine("rabbit.rabbit_interval_max", "1s");
        if (allowTestErrors) {
            b.override(RpcOpts.ALLOWED_REMOTE_EXMODS, List.of("io.jeventlet.rpc.testerrors"));
        }
        return Transport.create(b.load());
    }

    @Override
    protected String topic() {
        return RabbitDriverTest.topic();
    }
}

package io.jeventlet.rpc.rabbit;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.rpc.SeamsContract;

/** The seams on rabbit:// on the real broker. */
class RabbitSeamsTest extends SeamsContract {

    @Override
    protected ConfigOpts.Builder conf() {
        return ConfigOpts.builder().commandLine("rpc.transport_url", RabbitBroker.url())
                .commandLine("rabbit.rabbit_retry_interval", "0.2s")
                .commandLine("rabbit.rabbit_retry_backoff", "0.2s")
                .commandLine("rabbit.rabbit_interval_max", "1s");
    }

    @Override
    protected String topic() {
        return RabbitDriverTest.topic();
    }
}

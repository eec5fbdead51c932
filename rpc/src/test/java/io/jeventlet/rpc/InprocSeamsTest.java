package io.jeventlet.rpc;

import io.jeventlet.conf.ConfigOpts;

/** The seams on inproc://. */
class InprocSeamsTest extends SeamsContract {
    private final String bus = "seams-" + System.nanoTime();

    @Override
    protected ConfigOpts.Builder conf() {
        return ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, "inproc://" + bus);
    }
}

package io.jeventlet.rpc;

import io.jeventlet.conf.ConfigOpts;
import java.util.List;

/** The seams on inproc://. */
class InprocSeamsTest extends SeamsContract {
    private final String bus = "seams-" + System.nanoTime();

    @Override
    protected Transport transport(boolean allowTestErrors) {
        ConfigOpts.Builder b = ConfigOpts.builder().override(RpcOpts.TRANSPORT_URL, "inproc://" + bus);
        if (allowTestErrors) {
            b.override(RpcOpts.ALLOWED_REMOTE_EXMODS, List.of("io.jeventlet.rpc.testerrors"));
        }
        return Transport.create(b.load());
    }
}

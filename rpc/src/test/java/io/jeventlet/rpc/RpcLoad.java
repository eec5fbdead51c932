package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jeventlet.Eventlet;
import io.jeventlet.GreenThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The load the leak tests put on a server of an "inc" endpoint, and how they measure the heap. */
public final class RpcLoad {
    private RpcLoad() {
    }

    /**
     * Makes {@code perThread} chained "inc" calls ({@code n} in, {@code n + 1} out) from each of {@code threads}
     * green threads of the current hub, and checks that every chain ended at {@code perThread}.
     */
    public static void runCalls(RpcClient client, int threads, int perThread) {
        List<GreenThread<Integer>> gts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            gts.add(Eventlet.spawn(() -> {
                int n = 0;
                for (int j = 0; j < perThread; j++) {
                    n = client.call(Context.empty(), "inc", Map.of("n", n), Integer.class);
                }
                return n;
            }));
        }
        for (GreenThread<Integer> gt : gts) {
            assertEquals(perThread, gt.await());
        }
    }

    /** The heap in use after a few full collections, to compare before and after a load. */
    public static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}

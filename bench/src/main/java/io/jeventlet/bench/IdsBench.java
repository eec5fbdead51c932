package io.jeventlet.bench;

import io.jeventlet.rpc.spi.Ids;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Cost of one random message id ({@code _msg_id}, {@code _unique_id}; three
 * per call), in nanoseconds: {@link Ids#uuidHex()} against the peer, the
 * JDK's {@code UUID.randomUUID()} formatted the same way (what {@code Ids}
 * did before). Run with {@code -t 1} and {@code -t 2}: with two threads, as
 * with the two hubs' carriers of a client and a server in one process, the
 * JDK's generator makes them take turns on one lock.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdsBench {
    @Benchmark
    public String idsUuidHex() {
        return Ids.uuidHex();
    }

    @Benchmark
    public String jdkRandomUuid() {
        UUID u = UUID.randomUUID();
        return hex(u.getMostSignificantBits()) + hex(u.getLeastSignificantBits());
    }

    private static String hex(long v) {
        String s = Long.toHexString(v);
        return "0".repeat(16 - s.length()) + s;
    }
}

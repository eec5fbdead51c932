package io.jeventlet.rpc.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Ids: uuid4 hex as Python's {@code uuid.uuid4().hex}, never repeated, from any thread at once. */
class IdsTest {

    @Test
    void isAVersion4UuidInLowerCaseHex() {
        for (int i = 0; i < 1_000; i++) {
            String id = Ids.uuidHex();
            assertTrue(id.matches("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}"), id);
            UUID u = UUID.fromString(id.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
            assertEquals(4, u.version(), id);
            assertEquals(2, u.variant(), id);
        }
    }

    /** Threads share stripes of generators ahead-filled in blocks: no id may be handed out twice. */
    @Test
    void manyThreadsAtOnceNeverGetTheSameId() throws InterruptedException {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int threads = 16;
        int each = 5_000;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread.Builder builder = t % 2 == 0 ? Thread.ofVirtual() : Thread.ofPlatform();
            started.add(builder.start(() -> {
                for (int i = 0; i < each; i++) {
                    seen.add(Ids.uuidHex());
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertEquals(threads * each, seen.size());
    }

    /** Every bit but the six fixed ones varies: no stripe hands out a constant or a short cycle. */
    @Test
    void everyFreeBitVaries() {
        long hiOr = 0;
        long hiAnd = -1;
        long loOr = 0;
        long loAnd = -1;
        for (int i = 0; i < 2_000; i++) {
            UUID u = UUID.fromString(Ids.uuidHex().replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
            hiOr |= u.getMostSignificantBits();
            hiAnd &= u.getMostSignificantBits();
            loOr |= u.getLeastSignificantBits();
            loAnd &= u.getLeastSignificantBits();
        }
        // Fixed: the version nibble (0100) and the variant's two bits (10).
        assertEquals(0x0000_0000_0000_4000L, hiAnd);
        assertEquals(0xffff_ffff_ffff_4fffL, hiOr);
        assertEquals(0x8000_0000_0000_0000L, loAnd);
        assertEquals(0xbfff_ffff_ffff_ffffL, loOr);
    }
}

package io.jeventlet.hubs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.nio.file.Path;

/**
 * Where HotSpot keeps a live platform thread's {@code _vthread} handle: the
 * address of its slot in the JVM's thread handle storage, the slot every
 * virtual-thread mount and unmount on that carrier writes. Test-only; reads
 * the running JVM's own layout table ({@code gHotSpotVMStructs}, what the
 * serviceability agent reads) through FFM, so it holds for the JVM it runs in.
 *
 * <p>Thread-safe. A thread must be alive while its slot is read: a thread that
 * ended has no JavaThread to read.
 */
final class ThreadTableProbe {
    /** What two cores fight over: a 64-byte line and its pair, which the adjacent-line prefetcher moves with it. */
    static final int BLOCK = 128;

    private final long vthreadOffset;
    private final Field eetop;

    ThreadTableProbe() throws ReflectiveOperationException {
        Path libjvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        SymbolLookup jvm = SymbolLookup.libraryLookup(libjvm, Arena.global());
        MemorySegment entries = MemorySegment.ofAddress(word(jvm, "gHotSpotVMStructs")).reinterpret(Long.MAX_VALUE);
        long typeName = word(jvm, "gHotSpotVMStructEntryTypeNameOffset");
        long fieldName = word(jvm, "gHotSpotVMStructEntryFieldNameOffset");
        long offset = word(jvm, "gHotSpotVMStructEntryOffsetOffset");
        long stride = word(jvm, "gHotSpotVMStructEntryArrayStride");
        long found = -1;
        for (long e = 0; found < 0; e += stride) {
            long type = entries.get(ValueLayout.JAVA_LONG, e + typeName);
            if (type == 0) {
                throw new IllegalStateException("this JVM's layout table has no JavaThread::_vthread");
            }
            long field = entries.get(ValueLayout.JAVA_LONG, e + fieldName);
            if (field != 0 && string(type).equals("JavaThread") && string(field).equals("_vthread")) {
                found = entries.get(ValueLayout.JAVA_LONG, e + offset);
            }
        }
        vthreadOffset = found;
        eetop = Thread.class.getDeclaredField("eetop"); // the thread's JavaThread*, 0 unless alive
        eetop.setAccessible(true);
    }

    /** The address of {@code t}'s {@code _vthread} slot. */
    long slot(Thread t) throws IllegalAccessException {
        long javaThread = eetop.getLong(t);
        if (javaThread == 0) {
            throw new IllegalStateException(t + " is not alive: it has no slot");
        }
        return MemorySegment.ofAddress(javaThread + vthreadOffset).reinterpret(8).get(ValueLayout.JAVA_LONG, 0);
    }

    /** The aligned pair of cache lines that holds {@code t}'s {@code _vthread} slot. */
    long block(Thread t) throws IllegalAccessException {
        return slot(t) / BLOCK;
    }

    private static long word(SymbolLookup jvm, String symbol) {
        return jvm.find(symbol).orElseThrow(() -> new IllegalStateException("libjvm exports no " + symbol))
                .reinterpret(8).get(ValueLayout.JAVA_LONG, 0);
    }

    private static String string(long address) {
        return MemorySegment.ofAddress(address).reinterpret(256).getString(0);
    }
}

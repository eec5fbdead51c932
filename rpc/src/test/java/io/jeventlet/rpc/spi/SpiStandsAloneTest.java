package io.jeventlet.rpc.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SPI stands alone: no class of {@code io.jeventlet.rpc.spi} refers to a
 * class of the API package (or any other rpc package), read from the
 * compiled classes' constant pools, so a signature, a field, a thrown type
 * or a Javadoc-free call all count.
 */
class SpiStandsAloneTest {

    @Test
    void spiReferencesNothingOfTheApi() throws IOException, URISyntaxException {
        Path dir = Path.of(Address.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/jeventlet/rpc/spi");
        List<String> offending = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                classes++;
                ClassModel model = ClassFile.of().parse(Files.readAllBytes(f));
                for (PoolEntry e : model.constantPool()) {
                    if (e instanceof ClassEntry c) {
                        String name = c.asInternalName();
                        if (name.startsWith("io/jeventlet/rpc/") && !name.startsWith("io/jeventlet/rpc/spi/")) {
                            offending.add(f.getFileName() + " -> " + name);
                        }
                    }
                }
                // Descriptors name types too (parameters, fields): check the whole pool's UTF-8 text.
                for (PoolEntry e : model.constantPool()) {
                    if (e instanceof java.lang.classfile.constantpool.Utf8Entry u) {
                        String s = u.stringValue();
                        int i = s.indexOf("io/jeventlet/rpc/");
                        while (i >= 0) {
                            if (!s.startsWith("io/jeventlet/rpc/spi/", i)) {
                                offending.add(f.getFileName() + " -> " + s);
                                break;
                            }
                            i = s.indexOf("io/jeventlet/rpc/", i + 1);
                        }
                    }
                }
            }
        }
        assertTrue(classes > 10, "found the SPI's classes in " + dir);
        assertEquals(List.of(), offending);
    }
}

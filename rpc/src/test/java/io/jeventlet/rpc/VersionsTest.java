package io.jeventlet.rpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** oslo's version_is_compatible, and what is not a version at all. */
class VersionsTest {
    @Test
    void sameMajorAndNoHigherMinorOrRevision() {
        assertTrue(Versions.compatible("1.3", "1.3"));
        assertTrue(Versions.compatible("1.3", "1.0"));
        assertTrue(Versions.compatible("1.3.2", "1.3.1"));
        assertTrue(Versions.compatible("1.3", "1.2.9"));
        assertTrue(Versions.compatible("10.12", "10.11"));
        assertFalse(Versions.compatible("1.3", "1.4"));
        assertFalse(Versions.compatible("1.3", "2.0"));
        assertFalse(Versions.compatible("2.0", "1.0"));
        assertFalse(Versions.compatible("1.3.1", "1.3.2"));
    }

    @Test
    void noCapAcceptsAnythingAndNoRequestOnlyThen() {
        assertTrue(Versions.compatible(null, "9.9"));
        assertTrue(Versions.compatible(null, null));
        assertFalse(Versions.compatible("1.0", null));
    }

    @Test
    void notMajorMinorIsUnsupported() {
        for (String bad : List.of("1", "", ".", "1.", ".1", "1..2", "1.2.3.4", "a.b", "1.-2", "1.2.", "1 .2")) {
            UnsupportedVersion e = assertThrows(UnsupportedVersion.class, () -> Versions.compatible("1.0", bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not of the form MAJOR.MINOR"), e.getMessage());
            assertThrows(UnsupportedVersion.class, () -> Versions.compatible(bad, "1.0"), bad);
        }
    }
}

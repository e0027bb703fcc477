package ru.portal.codes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The jar carries the native library where JNA looks for it, and nothing else points JNA there. */
class BundledLibraryTest {
    @Test
    void theNativeLibraryIsOnTheClassPath() {
        assertNotNull(PortalCodesNative.class.getClassLoader().getResource("linux-x86-64/libportal_codes.so"),
                "linux-x86-64/libportal_codes.so is not in the build: run `make` at the top of the repository "
                        + "first, or pass -Dnative.dir=<folder with libportal_codes.so>");
        assertNull(System.getProperty("jna.library.path"), "the tests must load the library from the class path");
        assertNotNull(PortalCodes.version());
    }
}

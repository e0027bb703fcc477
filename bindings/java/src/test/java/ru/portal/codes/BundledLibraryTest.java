package ru.portal.codes;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The jar carries the native library where JNA looks for it, for every platform it promises
 * (Linux x86-64 and aarch64), and nothing else points JNA there.
 */
class BundledLibraryTest {
    static final String[] FOLDERS = {"linux-x86-64", "linux-aarch64"};

    @Test
    void theNativeLibrariesAreOnTheClassPath() {
        for (String folder : FOLDERS) {
            assertNotNull(PortalCodesNative.class.getClassLoader().getResource(folder + "/libportal_codes.so"),
                    folder + "/libportal_codes.so is not in the build: run `make java-natives` at the top of the "
                            + "repository first, or pass -Dnative.dir=<folder with linux-x86-64/ and linux-aarch64/>");
        }
        assertNull(System.getProperty("jna.library.path"), "the tests must load the library from the class path");
        assertNotNull(PortalCodes.version());
    }

    /**
     * The folders are the ones JNA itself derives for Linux on those processors ({@code os.arch}
     * is {@code amd64} or {@code x86_64} on x86-64, {@code aarch64} on 64-bit ARM), asked of JNA's
     * own (package-private) mapping, so a server of the other architecture finds its library too.
     */
    @Test
    void theFoldersAreJnasNamesForLinuxOnX8664AndAarch64() throws ReflectiveOperationException {
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix", int.class, String.class,
                String.class);
        prefix.setAccessible(true);
        assertEquals(FOLDERS[0], prefix.invoke(null, Platform.LINUX, "amd64", "Linux"));
        assertEquals(FOLDERS[0], prefix.invoke(null, Platform.LINUX, "x86_64", "Linux"));
        assertEquals(FOLDERS[1], prefix.invoke(null, Platform.LINUX, "aarch64", "Linux"));
        // And this machine's folder is one of them, filled.
        assertNotNull(PortalCodesNative.class.getClassLoader().getResource(Platform.RESOURCE_PREFIX
                + "/libportal_codes.so"), "JNA looks in " + Platform.RESOURCE_PREFIX + "/, which the jar does not fill");
    }
}

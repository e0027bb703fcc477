package ru.portal.codes;

import java.nio.charset.StandardCharsets;

/** Small conversions shared by the wrappers. */
final class Texts {
    private Texts() {
    }

    /** The NUL-terminated UTF-8 text at the start of {@code buf}. */
    static String text(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * {@code s}, checked for use as the C string argument {@code name}: JNA passes a
     * {@code String} as UTF-8 with a NUL added, so a U+0000 inside it would silently cut it
     * there ({@code "alice\0"} would be {@code "alice"}). Such a string is refused with
     * INVALID_ARGUMENT, as C refuses bad UTF-8. {@code null} passes (the C function decides).
     * The one check every {@code String} argument of the binding goes through.
     *
     * @throws PortalCodesException INVALID_ARGUMENT, detail {@code "<name>: contains U+0000 …"}
     */
    static String cstr(String s, String name) {
        if (s != null && s.indexOf('\0') >= 0) {
            throw new PortalCodesException(Status.INVALID_ARGUMENT.code(),
                    name + ": contains U+0000 (NUL), where the C string would end");
        }
        return s;
    }

    /** {@code n} as a C {@code size_t}. */
    static PortalCodesNative.SizeT size(long n) {
        return new PortalCodesNative.SizeT(n);
    }
}

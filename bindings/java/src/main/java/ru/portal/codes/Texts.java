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

    /** {@code n} as a C {@code size_t}. */
    static PortalCodesNative.SizeT size(long n) {
        return new PortalCodesNative.SizeT(n);
    }
}

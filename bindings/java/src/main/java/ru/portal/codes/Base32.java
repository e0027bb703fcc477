package ru.portal.codes;

import java.util.Arrays;

import static ru.portal.codes.PortalCodesException.check;
import static ru.portal.codes.Texts.size;
import static ru.portal.codes.Texts.text;

import static ru.portal.codes.Texts.cstr;

/** RFC 4648 base32, as authenticator apps show secrets for typing ({@code pcodes_base32_*}). */
public final class Base32 {
    private Base32() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Upper-case base32 without padding ({@code pcodes_base32_encode}). */
    public static String encode(byte[] data) {
        byte[] out = new byte[(data.length * 8 + 4) / 5 + 1];
        check(N.pcodes_base32_encode(data, size(data.length), out, size(out.length)));
        return text(out);
    }

    /**
     * Decodes base32: either case; spaces, tabs, line breaks and trailing {@code =} ignored
     * ({@code pcodes_base32_decode}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT
     */
    public static byte[] decode(String text) {
        byte[] out = new byte[text.length() * 5 / 8 + 1];
        PortalCodesNative.SizeTByReference n = new PortalCodesNative.SizeTByReference();
        check(N.pcodes_base32_decode(cstr(text, "text_in"), out, size(out.length), n));
        return Arrays.copyOf(out, (int) n.getValue());
    }
}

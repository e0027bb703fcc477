package ru.portal.codes;

import static ru.portal.codes.PortalCodesException.check;
import static ru.portal.codes.Texts.size;
import static ru.portal.codes.Texts.text;

import static ru.portal.codes.Texts.cstr;

/**
 * Counter-based codes, RFC 4226 HOTP ({@code pcodes_hotp_*}); the counter lives in the
 * enrolment's state blob. Enrolment URIs are {@link Totp#uri}/{@link Totp#uriParse}.
 */
public final class Hotp {
    private Hotp() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /**
     * The code for {@code counter} ({@code pcodes_hotp_code}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT
     */
    public static String code(byte[] secret, Algorithm algorithm, int digits, long counter) {
        byte[] out = new byte[Totp.CODE_BYTES];
        check(N.pcodes_hotp_code(secret, size(secret.length), algorithm.id(), digits, counter, out,
                size(out.length)));
        return text(out);
    }

    /**
     * Verifies a code against the counter in {@code state} (a HOTP blob, updated in place;
     * {@code pcodes_hotp_verify}).
     *
     * @throws PortalCodesException MISTYPED, WRONG, ALREADY_USED, LOCKED, BLOCKED, CORRUPT_STATE,
     *     INVALID_ARGUMENT
     */
    public static void verify(Context ctx, byte[] secret, Algorithm algorithm, int digits, String code, long now,
            byte[] state) {
        ctx.check(p -> N.pcodes_hotp_verify(p, secret, size(secret.length), algorithm.id(), digits, cstr(code, "code"), now, state,
                size(state.length)));
    }
}

package ru.portal.codes;

import com.sun.jna.ptr.LongByReference;

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

    /** Buffer size of a code ({@code PCODES_HOTP_CODE_BYTES}). */
    public static final int CODE_BYTES = N.pcodes_hotp_code_bytes().intValue();

    /**
     * The code for {@code counter} ({@code pcodes_hotp_code}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT
     */
    public static String code(byte[] secret, Algorithm algorithm, int digits, long counter) {
        byte[] out = new byte[CODE_BYTES];
        check(N.pcodes_hotp_code(secret, size(secret.length), algorithm.id(), digits, counter, out,
                size(out.length)));
        return text(out);
    }

    /**
     * Verifies a code against the counter in {@code state} (a HOTP blob, updated in place) and
     * returns the counter of the accepted code; the stored counter is now one past it
     * ({@code pcodes_hotp_verify_counter}, which is {@code pcodes_hotp_verify} with the counter).
     *
     * @throws PortalCodesException MISTYPED, WRONG, ALREADY_USED, LOCKED, BLOCKED, CORRUPT_STATE,
     *     INVALID_ARGUMENT
     */
    public static long verify(Context ctx, byte[] secret, Algorithm algorithm, int digits, String code, long now,
            byte[] state) {
        LongByReference counter = new LongByReference();
        ctx.check(p -> N.pcodes_hotp_verify_counter(p, secret, size(secret.length), algorithm.id(), digits,
                cstr(code, "code"), now, state, size(state.length), counter));
        return counter.getValue();
    }
}

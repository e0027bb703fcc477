package ru.portal.codes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static ru.portal.codes.Texts.cstr;

/**
 * One-time codes sent by SMS or e-mail ({@code pcodes_otp_*}). The state blob
 * ({@link State#create()}) belongs to one person's confirmation (a login, a phone change, ...);
 * store it back after every call, also when the call throws, with compare-and-swap.
 *
 * <pre>{@code
 * String code = Otp.issue(ctx, "login", now, state);   // send it by SMS
 * Otp.verify(ctx, "login", typed, now, state);         // throws PortalCodesException unless OK
 * }</pre>
 */
public final class Otp {
    private Otp() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size for any code, 8 digits plus NUL ({@code PCODES_OTP_CODE_BYTES}). */
    public static final int CODE_BYTES = N.pcodes_otp_code_bytes().intValue();

    /**
     * Issues (or re-issues, replacing the outstanding code) a code for {@code purpose} and
     * returns it for the host to send ({@code pcodes_otp_issue}). After it, {@link State#retryAt}
     * is when the next send is allowed.
     *
     * @throws PortalCodesException TOO_SOON (see {@link State#retryAt}), LOCKED, BLOCKED,
     *     CORRUPT_STATE, INVALID_ARGUMENT (empty purpose), RNG_FAILURE
     */
    public static String issue(Context ctx, String purpose, long now, byte[] state) {
        byte[] buf = new byte[CODE_BYTES];
        try {
            ctx.check(p -> N.pcodes_otp_issue(p, cstr(purpose, "purpose"), now, state, size(state), buf, size(buf)));
            int n = 0;
            while (buf[n] != 0) {
                n++;
            }
            return new String(buf, 0, n, StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    /**
     * Checks the code as typed (spaces ignored); returns normally if accepted (the code is then
     * used; {@code pcodes_otp_verify}).
     *
     * @throws PortalCodesException LOCKED, BLOCKED, NO_CHALLENGE, MISTYPED, UNKNOWN_KEY,
     *     ALREADY_USED, EXPIRED, ATTEMPTS_EXHAUSTED, SUPERSEDED, WRONG (the only one counted),
     *     CORRUPT_STATE, INVALID_ARGUMENT
     */
    public static void verify(Context ctx, String purpose, String code, long now, byte[] state) {
        ctx.check(p -> N.pcodes_otp_verify(p, cstr(purpose, "purpose"), cstr(code, "code"), now, state, size(state)));
    }

    private static PortalCodesNative.SizeT size(byte[] b) {
        return new PortalCodesNative.SizeT(b.length);
    }
}

package ru.portal.codes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static ru.portal.codes.PortalCodesException.check;

/**
 * One-time codes sent by SMS or e-mail ({@code pcodes_otp_*}). The state blob
 * ({@link PortalCodes#newState()}) belongs to one person's confirmation (a login, a phone
 * change, ...); store it back after every call, also when the call throws, with
 * compare-and-swap.
 *
 * <pre>{@code
 * Otp otp = new Otp(ctx);
 * String code = otp.issue("login", now, state);     // send it by SMS
 * otp.verify("login", typed, now, state);           // throws PortalCodesException unless OK
 * }</pre>
 */
public final class Otp {
    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size for any code, 8 digits plus NUL ({@code PCODES_OTP_CODE_BYTES}). */
    public static final int CODE_BYTES = N.pcodes_otp_code_bytes().intValue();

    private final Context ctx;

    /** One-time codes under the keys and settings of {@code ctx}. */
    public Otp(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * Issues (or re-issues, replacing the outstanding code) a code for {@code purpose} and
     * returns it for the host to send. After it, {@link PortalCodes#retryAt} is when the next
     * send is allowed.
     *
     * @throws PortalCodesException TOO_SOON (see {@link PortalCodes#retryAt}), LOCKED, BLOCKED,
     *     CORRUPT_STATE, INVALID_ARGUMENT (empty purpose), RNG_FAILURE
     */
    public String issue(String purpose, long now, byte[] state) {
        byte[] buf = new byte[CODE_BYTES];
        try {
            check(N.pcodes_otp_issue(ctx.ptr(), purpose, now, state, size(state), buf, size(buf)));
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
     * used).
     *
     * @throws PortalCodesException LOCKED, BLOCKED, NO_CHALLENGE, MISTYPED, UNKNOWN_KEY,
     *     ALREADY_USED, EXPIRED, ATTEMPTS_EXHAUSTED, SUPERSEDED, WRONG (the only one counted),
     *     CORRUPT_STATE, INVALID_ARGUMENT
     */
    public void verify(String purpose, String code, long now, byte[] state) {
        check(N.pcodes_otp_verify(ctx.ptr(), purpose, code, now, state, size(state)));
    }

    /**
     * {@link #verify} as a status instead of an exception, for pages that switch on the
     * verdict: {@link Status#OK} if accepted.
     */
    public Status status(String purpose, String code, long now, byte[] state) {
        return Status.of(N.pcodes_otp_verify(ctx.ptr(), purpose, code, now, state, size(state)));
    }

    private static PortalCodesNative.SizeT size(byte[] b) {
        return new PortalCodesNative.SizeT(b.length);
    }
}

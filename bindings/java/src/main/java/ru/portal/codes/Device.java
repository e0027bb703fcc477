package ru.portal.codes;

import java.nio.charset.StandardCharsets;

import static ru.portal.codes.Texts.cstr;

/**
 * Device trust ({@code pcodes_device_*}, {@code docs/device-trust.md}): lockouts that an attacker
 * who knows a login cannot turn against its owner. After a successful verification the host may
 * {@link #issue} a device token and set it as the device's cookie; PIN attempts that come with a
 * token valid for the account ({@link #pinVerify}) are counted in the account's device blob (the
 * trusted lane, {@link State#create()} when fresh) instead of its PIN blob. On DEVICE_UNTRUSTED,
 * DEVICE_REVOKED, EXPIRED or UNKNOWN_KEY nothing was computed or counted: drop the cookie and call
 * {@link Pin#verify}. Store the device blob with compare-and-swap after every call; a verdict is
 * final only after the compare-and-swap that stores its blob succeeded.
 *
 * <pre>{@code
 * String token = Device.issue(ctx, accountId, now, deviceState);   // after a successful login;
 *                                                                  // store deviceState (CAS), then set the cookie
 * Device.pinVerify(ctx, accountId, pin, stored, token, now, deviceState); // throws unless OK
 * Device.revokeAll(deviceState);                                   // "sign out everywhere"
 * // SMS codes and TOTP/HOTP in the same trusted lane: both blobs are written, store them in one
 * // transaction with compare-and-swap on each.
 * Device.otpVerify(ctx, accountId, "login", code, token, now, otpState, deviceState);
 * }</pre>
 */
public final class Device {
    private Device() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size of a token, 80 characters plus NUL ({@code PCODES_DEVICE_TOKEN_BYTES}). */
    public static final int TOKEN_BYTES = N.pcodes_device_token_bytes().intValue();

    /**
     * A device token for {@code accountId} ({@code pcodes_device_issue}). The issue is recorded in
     * {@code state} (the account's device blob, updated in place: one more token issued and the
     * issue time, which {@link State#events} reports as {@link State#EVENT_DEVICE_TRUSTED}).
     * Store {@code state} with compare-and-swap and set the token as the device's cookie only
     * after that write succeeded; on a lost write, drop the token, re-read and issue again. On
     * an exception {@code state} is unchanged.
     *
     * @throws PortalCodesException INVALID_ARGUMENT (empty account id, {@code now}), CORRUPT_STATE,
     *     RNG_FAILURE
     */
    public static String issue(Context ctx, String accountId, long now, byte[] state) {
        byte[] out = new byte[TOKEN_BYTES];
        ctx.check(p -> N.pcodes_device_issue(p, cstr(accountId, "account_id"), now, state, size(state), out,
                size(out)));
        return new String(out, 0, TOKEN_BYTES - 1, StandardCharsets.US_ASCII);
    }

    /**
     * Checks a token presented for {@code accountId} against the account's device blob (read, not
     * written; {@code pcodes_device_check}). Returns normally when it is valid.
     *
     * @throws PortalCodesException DEVICE_UNTRUSTED, UNKNOWN_KEY, DEVICE_REVOKED, EXPIRED (none
     *     counted), INVALID_ARGUMENT, CORRUPT_STATE
     */
    public static void check(Context ctx, String accountId, String token, long now, byte[] state) {
        ctx.check(p -> N.pcodes_device_check(p, cstr(accountId, "account_id"), cstr(token, "token"), now, state,
                size(state)));
    }

    /**
     * Revokes every token of the account: the generation in its device blob goes up by one
     * ({@code pcodes_device_revoke_all}); store the blob with compare-and-swap.
     *
     * @throws PortalCodesException CORRUPT_STATE
     */
    public static void revokeAll(byte[] state) {
        PortalCodesException.check(N.pcodes_device_revoke_all(state, size(state)));
    }

    /**
     * Verifies {@code pin} from a trusted device: the token first, then the PIN as {@link
     * Pin#verify} does ({@code stored == null}: an unknown account), counted in the device blob
     * {@code state} ({@code pcodes_device_pin_verify}). The PIN blob is not touched.
     *
     * @throws PortalCodesException DEVICE_UNTRUSTED, UNKNOWN_KEY, DEVICE_REVOKED, EXPIRED (the
     *     token: nothing counted), LOCKED, BLOCKED (the trusted lane), PIN_FORMAT, MALFORMED_HASH,
     *     WRONG (counted), CORRUPT_STATE, INVALID_ARGUMENT, PEPPER_FAILED
     */
    public static void pinVerify(Context ctx, String accountId, String pin, String stored, String token, long now,
            byte[] state) {
        ctx.check(p -> N.pcodes_device_pin_verify(p, cstr(accountId, "account_id"), cstr(pin, "pin"),
                cstr(stored, "stored"), cstr(token, "token"), now, state, size(state)));
    }

    /**
     * Verifies an SMS/e-mail {@code code} for {@code purpose} from a trusted device
     * ({@code pcodes_device_otp_verify}): checks {@code token} against {@code deviceState}, then
     * compares the code exactly as {@link Otp#verify} does on {@code otpState}, but gates and counts
     * in the device blob (the trusted lane, shared with {@link #pinVerify} and the TOTP/HOTP calls)
     * instead of {@code otpState}'s lockout, which is neither checked nor changed. Returns normally
     * when accepted: the code is then used in both lanes. <b>Both blobs are written</b>: store them
     * in one transaction with compare-and-swap on each; the verdict is final only after both
     * writes succeeded.
     *
     * @throws PortalCodesException DEVICE_UNTRUSTED, UNKNOWN_KEY, DEVICE_REVOKED, EXPIRED (the
     *     token: nothing written; drop the cookie and call {@link Otp#verify}), LOCKED, BLOCKED (the
     *     trusted lane), then the statuses of {@link Otp#verify}: WRONG is counted (in the device
     *     blob and against the code); CORRUPT_STATE, INVALID_ARGUMENT
     */
    public static void otpVerify(Context ctx, String accountId, String purpose, String code, String token, long now,
            byte[] otpState, byte[] deviceState) {
        ctx.check(p -> N.pcodes_device_otp_verify(p, cstr(accountId, "account_id"), cstr(purpose, "purpose"),
                cstr(code, "code"), cstr(token, "token"), now, otpState, size(otpState), deviceState,
                size(deviceState)));
    }

    /**
     * Issues an SMS/e-mail code for {@code purpose} to the holder of a trusted device
     * ({@code pcodes_device_otp_issue}), also while {@code otpState}'s own lockout is locked or
     * blocked by someone else's guesses: checks {@code token} against {@code deviceState} (read,
     * not written) and gates on the trusted lane's lock. The resend limits of {@code otpState} hold
     * in both lanes. Only {@code otpState} is written: store it with compare-and-swap, then send the
     * code.
     *
     * @throws PortalCodesException DEVICE_UNTRUSTED, UNKNOWN_KEY, DEVICE_REVOKED, EXPIRED (nothing
     *     written), LOCKED, BLOCKED (the trusted lane), TOO_SOON, CORRUPT_STATE, INVALID_ARGUMENT,
     *     RNG_FAILURE
     */
    public static String otpIssue(Context ctx, String accountId, String purpose, String token, long now,
            byte[] otpState, byte[] deviceState) {
        byte[] buf = new byte[Otp.CODE_BYTES];
        try {
            ctx.check(p -> N.pcodes_device_otp_issue(p, cstr(accountId, "account_id"), cstr(purpose, "purpose"),
                    cstr(token, "token"), now, otpState, size(otpState), deviceState, size(deviceState), buf,
                    size(buf)));
            int n = 0;
            while (buf[n] != 0) {
                n++;
            }
            return new String(buf, 0, n, StandardCharsets.US_ASCII);
        } finally {
            java.util.Arrays.fill(buf, (byte) 0);
        }
    }

    /**
     * Verifies a TOTP code from a trusted device ({@code pcodes_device_totp_verify}) as
     * {@link Totp#verify} does on {@code totpState}, gated and counted in {@code deviceState}; a
     * step accepted in either lane is ALREADY_USED in the other. Returns the drift. <b>Both blobs
     * are written</b>: store them in one transaction with compare-and-swap on each; the verdict is
     * final only after both writes succeeded.
     *
     * @throws PortalCodesException the token's statuses (nothing written), LOCKED, BLOCKED (the
     *     trusted lane), MISTYPED, ALREADY_USED, WRONG (counted in the device blob), CORRUPT_STATE,
     *     INVALID_ARGUMENT
     */
    public static int totpVerify(Context ctx, String accountId, byte[] secret, Algorithm algorithm, int digits,
            int period, String code, String token, long now, byte[] totpState, byte[] deviceState) {
        com.sun.jna.ptr.IntByReference drift = new com.sun.jna.ptr.IntByReference();
        ctx.check(p -> N.pcodes_device_totp_verify(p, cstr(accountId, "account_id"), secret, size(secret),
                algorithm.id(), digits, period, cstr(code, "code"), cstr(token, "token"), now, totpState,
                size(totpState), deviceState, size(deviceState), drift));
        return drift.getValue();
    }

    /**
     * Verifies a HOTP code from a trusted device ({@code pcodes_device_hotp_verify}) as
     * {@link Hotp#verify} does on {@code hotpState}, gated and counted in {@code deviceState}; a
     * counter accepted in either lane is not accepted again in the other. Returns the matched
     * counter. <b>Both blobs are written</b>: store them in one transaction with compare-and-swap
     * on each; the verdict is final only after both writes succeeded.
     *
     * @throws PortalCodesException as {@link #totpVerify}
     */
    public static long hotpVerify(Context ctx, String accountId, byte[] secret, Algorithm algorithm, int digits,
            String code, String token, long now, byte[] hotpState, byte[] deviceState) {
        com.sun.jna.ptr.LongByReference counter = new com.sun.jna.ptr.LongByReference();
        ctx.check(p -> N.pcodes_device_hotp_verify(p, cstr(accountId, "account_id"), secret, size(secret),
                algorithm.id(), digits, cstr(code, "code"), cstr(token, "token"), now, hotpState, size(hotpState),
                deviceState, size(deviceState), counter));
        return counter.getValue();
    }

    private static PortalCodesNative.SizeT size(byte[] b) {
        return new PortalCodesNative.SizeT(b == null ? 0 : b.length);
    }
}

package ru.portal.codes;

import com.sun.jna.ptr.IntByReference;

import java.util.Arrays;

import static ru.portal.codes.PortalCodesException.check;
import static ru.portal.codes.Texts.size;
import static ru.portal.codes.Texts.text;

import static ru.portal.codes.Texts.cstr;

/**
 * Authenticator apps, RFC 6238 TOTP ({@code pcodes_totp_*}): a new {@linkplain #secret secret},
 * the {@linkplain #uri otpauth URI} and its {@linkplain #qrSvg QR code} for the app, then
 * {@linkplain #verify verification} against the enrolment's state blob. An enrolment is its
 * secret, {@link Algorithm}, digits (6–8) and period (1–3600 s); the app default is
 * {@code SHA1, 6, 30}. HOTP is {@link Hotp}, base32 is {@link Base32}.
 */
public final class Totp {
    private Totp() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size of a code ({@code PCODES_TOTP_CODE_BYTES}). */
    public static final int CODE_BYTES = N.pcodes_totp_code_bytes().intValue();
    /** Buffer size of any URI ({@code PCODES_TOTP_URI_BYTES}). */
    public static final int URI_BYTES = N.pcodes_totp_uri_bytes().intValue();
    /** Buffer size of any SVG QR code ({@code PCODES_TOTP_QR_SVG_BYTES}). */
    public static final int QR_SVG_BYTES = N.pcodes_totp_qr_svg_bytes().intValue();
    /** Default secret length ({@code PCODES_TOTP_SECRET_BYTES}, 20). */
    public static final int SECRET_BYTES = N.pcodes_totp_secret_bytes().intValue();
    /** Largest secret ({@code PCODES_TOTP_SECRET_MAX_BYTES}, 64). */
    public static final int SECRET_MAX_BYTES = N.pcodes_totp_secret_max_bytes().intValue();

    /**
     * A new random secret of {@code length} bytes (16–64; {@link #SECRET_BYTES} is the usual one)
     * ({@code pcodes_totp_secret}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT, RNG_FAILURE
     */
    public static byte[] secret(Context ctx, int length) {
        byte[] s = new byte[length];
        ctx.check(p -> N.pcodes_totp_secret(p, s, size(length)));
        return s;
    }

    /**
     * The {@code otpauth://totp/...} URI for the app (issuer and account percent-encoded, default
     * parameters omitted; {@code pcodes_totp_uri}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT
     */
    public static String uri(byte[] secret, String issuer, String account, Algorithm algorithm, int digits,
            int period) {
        byte[] out = new byte[URI_BYTES];
        check(N.pcodes_totp_uri(secret, size(secret.length), cstr(issuer, "issuer"), cstr(account, "account"), algorithm.id(), digits, period, out,
                size(out.length)));
        return text(out);
    }

    /**
     * An enrolment read from an {@code otpauth://} URI by {@link #uriParse}.
     *
     * @param hotp {@code true} for {@code otpauth://hotp/}
     * @param algorithm the hash
     * @param digits 6–8
     * @param period seconds per step (30 when the URI has none, and for HOTP)
     * @param counter HOTP initial counter (0 for TOTP)
     * @param secret the secret
     * @param issuer the issuer, or "" if the URI names none
     * @param account the account name
     */
    public record Enrolment(boolean hotp, Algorithm algorithm, int digits, int period, long counter, byte[] secret,
            String issuer, String account) {
        /** Does not show the secret. */
        @Override
        public String toString() {
            return "Enrolment(" + (hotp ? "hotp" : "totp") + ", " + algorithm + ", " + digits + " digits, "
                    + issuer + ":" + account + ")";
        }
    }

    /**
     * Parses an {@code otpauth://totp/...} or {@code otpauth://hotp/...} URI (label and parameter
     * issuers must agree; {@code pcodes_totp_uri_parse}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT
     */
    public static Enrolment uriParse(String uri) {
        PortalCodesNative.TotpEnrolment e = new PortalCodesNative.TotpEnrolment();
        try {
            check(N.pcodes_totp_uri_parse(cstr(uri, "uri_text"), e));
            e.read();
            return new Enrolment(e.is_hotp != 0, Algorithm.of(e.algorithm), e.digits, e.period, e.counter,
                    Arrays.copyOf(e.secret, e.secret_len.intValue()), text(e.issuer), text(e.account));
        } finally {
            Arrays.fill(e.secret, (byte) 0);
            e.getPointer().clear(e.size());
        }
    }

    /**
     * {@code text} (normally a {@link #uri}) as an SVG QR code ({@code pcodes_totp_qr_svg}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT
     */
    public static String qrSvg(String text) {
        cstr(text, "text_in");
        byte[] out = new byte[16 * 1024];
        int rc = N.pcodes_totp_qr_svg(text, out, size(out.length));
        if (rc == Status.BUFFER_TOO_SMALL.code()) {
            out = new byte[QR_SVG_BYTES];
            rc = N.pcodes_totp_qr_svg(text, out, size(out.length));
        }
        check(rc);
        return text(out);
    }

    /**
     * The code at unix time {@code now} ({@code pcodes_totp_code}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT
     */
    public static String code(byte[] secret, Algorithm algorithm, int digits, int period, long now) {
        byte[] out = new byte[CODE_BYTES];
        check(N.pcodes_totp_code(secret, size(secret.length), algorithm.id(), digits, period, now, out,
                size(out.length)));
        return text(out);
    }

    /**
     * Verifies a typed code at {@code now} ({@code pcodes_totp_verify}); {@code state} (a TOTP
     * blob) is updated in place, also on failure — store it back with compare-and-swap. Returns
     * the drift (matched step − current step).
     *
     * @throws PortalCodesException MISTYPED, WRONG, ALREADY_USED, LOCKED, BLOCKED, CORRUPT_STATE,
     *     INVALID_ARGUMENT
     */
    public static int verify(Context ctx, byte[] secret, Algorithm algorithm, int digits, int period, String code,
            long now, byte[] state) {
        IntByReference drift = new IntByReference();
        ctx.check(p -> N.pcodes_totp_verify(p, secret, size(secret.length), algorithm.id(), digits, period, cstr(code, "code"), now,
                state, size(state.length), drift));
        return drift.getValue();
    }
}

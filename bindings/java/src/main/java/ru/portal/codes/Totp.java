package ru.portal.codes;

import com.sun.jna.ptr.IntByReference;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static ru.portal.codes.PortalCodesException.check;

/**
 * An authenticator-app enrolment (RFC 6238 TOTP): a secret and its parameters. Build the
 * {@link #uri URI} and {@link #qrSvg QR code} for the app, compute and {@link #verify verify}
 * codes against the account's state blob. HOTP and base32 helpers are static methods.
 */
public final class Totp {
    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size of a code ({@code PCODES_TOTP_CODE_BYTES}). */
    public static final int CODE_BYTES = N.pcodes_totp_code_bytes().intValue();
    /** Buffer size of any URI ({@code PCODES_TOTP_URI_BYTES}). */
    public static final int URI_BYTES = N.pcodes_totp_uri_bytes().intValue();
    /** Buffer size of any SVG QR code ({@code PCODES_TOTP_QR_SVG_BYTES}). */
    public static final int QR_SVG_BYTES = N.pcodes_totp_qr_svg_bytes().intValue();
    /** Default secret length ({@code PCODES_TOTP_SECRET_BYTES}, 20). */
    public static final int SECRET_BYTES = N.pcodes_totp_secret_bytes().intValue();

    /** The HMAC hash ({@code PCODES_ALGORITHM_*}). SHA1 is the only one every app supports. */
    public enum Algorithm {
        SHA1(1), SHA256(2), SHA512(3);

        private final int id;

        Algorithm(int id) {
            this.id = id;
        }

        /** The C value. */
        public int id() {
            return id;
        }

        static Algorithm of(int id) {
            for (Algorithm a : values()) {
                if (a.id == id) {
                    return a;
                }
            }
            throw new IllegalArgumentException("algorithm " + id);
        }
    }

    private final byte[] secret;
    private final Algorithm algorithm;
    private final int digits;
    private final int period;

    /** SHA1, 6 digits, 30 s: what every app assumes. */
    public Totp(byte[] secret) {
        this(secret, Algorithm.SHA1, 6, 30);
    }

    /** An enrolment with explicit parameters (digits 6–8, period 1–3600 s; checked on use). */
    public Totp(byte[] secret, Algorithm algorithm, int digits, int period) {
        this.secret = secret.clone();
        this.algorithm = algorithm;
        this.digits = digits;
        this.period = period;
    }

    /** A new random secret of {@link #SECRET_BYTES} bytes. @throws PortalCodesException RNG_FAILURE */
    public static byte[] newSecret(Context ctx) {
        return newSecret(ctx, SECRET_BYTES);
    }

    /** A new random secret of 16–64 bytes. @throws PortalCodesException INVALID_ARGUMENT, RNG_FAILURE */
    public static byte[] newSecret(Context ctx, int length) {
        byte[] s = new byte[length];
        check(N.pcodes_totp_secret(ctx.ptr(), s, size(length)));
        return s;
    }

    /** A copy of the secret. */
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * The {@code otpauth://totp/...} URI for the app (issuer and account percent-encoded, default
     * parameters omitted). @throws PortalCodesException INVALID_ARGUMENT
     */
    public String uri(String issuer, String account) {
        byte[] out = new byte[URI_BYTES];
        check(N.pcodes_totp_uri(secret, size(secret.length), issuer, account, algorithm.id(), digits, period, out,
                size(out.length)));
        return text(out);
    }

    /** {@code text} (normally {@link #uri}) as an SVG QR code. @throws PortalCodesException INVALID_ARGUMENT */
    public static String qrSvg(String text) {
        byte[] out = new byte[16 * 1024];
        int rc = N.pcodes_totp_qr_svg(text, out, size(out.length));
        if (rc == Status.BUFFER_TOO_SMALL.code()) {
            out = new byte[QR_SVG_BYTES];
            rc = N.pcodes_totp_qr_svg(text, out, size(out.length));
        }
        check(rc);
        return text(out);
    }

    /** The code at unix time {@code now}. @throws PortalCodesException INVALID_ARGUMENT */
    public String code(long now) {
        byte[] out = new byte[CODE_BYTES];
        check(N.pcodes_totp_code(secret, size(secret.length), algorithm.id(), digits, period, now, out,
                size(out.length)));
        return text(out);
    }

    /**
     * Verifies a typed code at {@code now}; {@code state} (a TOTP blob) is updated in place, also
     * on failure — store it back with compare-and-swap. Returns the drift (matched step − current).
     *
     * @throws PortalCodesException MISTYPED, WRONG, ALREADY_USED, LOCKED, BLOCKED, CORRUPT_STATE,
     *         INVALID_ARGUMENT
     */
    public int verify(Context ctx, String code, long now, byte[] state) {
        IntByReference drift = new IntByReference();
        check(N.pcodes_totp_verify(ctx.ptr(), secret, size(secret.length), algorithm.id(), digits, period, code,
                now, state, size(state.length), drift));
        return drift.getValue();
    }

    /** The HOTP code for {@code counter}. @throws PortalCodesException INVALID_ARGUMENT */
    public static String hotpCode(byte[] secret, Algorithm algorithm, int digits, long counter) {
        byte[] out = new byte[CODE_BYTES];
        check(N.pcodes_hotp_code(secret, size(secret.length), algorithm.id(), digits, counter, out,
                size(out.length)));
        return text(out);
    }

    /**
     * Verifies a HOTP code against the counter in {@code state} (a HOTP blob, updated in place).
     *
     * @throws PortalCodesException MISTYPED, WRONG, ALREADY_USED, LOCKED, BLOCKED, CORRUPT_STATE,
     *         INVALID_ARGUMENT
     */
    public static void hotpVerify(Context ctx, byte[] secret, Algorithm algorithm, int digits, String code, long now,
            byte[] state) {
        check(N.pcodes_hotp_verify(ctx.ptr(), secret, size(secret.length), algorithm.id(), digits, code, now, state,
                size(state.length)));
    }

    /** RFC 4648 base32 without padding. */
    public static String base32Encode(byte[] data) {
        byte[] out = new byte[(data.length * 8 + 4) / 5 + 1];
        check(N.pcodes_base32_encode(data, size(data.length), out, size(out.length)));
        return text(out);
    }

    /** Decodes base32 (any case; spaces and padding ignored). @throws PortalCodesException INVALID_ARGUMENT */
    public static byte[] base32Decode(String text) {
        byte[] out = new byte[text.length() * 5 / 8 + 1];
        PortalCodesNative.SizeTByReference n = new PortalCodesNative.SizeTByReference();
        check(N.pcodes_base32_decode(text, out, size(out.length), n));
        return Arrays.copyOf(out, (int) n.getValue());
    }

    /** An enrolment read from an {@code otpauth://} URI by {@link #parseUri}. */
    public static final class Enrolment {
        /** {@code true} for HOTP. */
        public final boolean hotp;
        /** The enrolment (secret, algorithm, digits, period). */
        public final Totp totp;
        /** HOTP initial counter. */
        public final long counter;
        /** The issuer, or "" if the URI names none. */
        public final String issuer;
        /** The account name. */
        public final String account;

        Enrolment(boolean hotp, Totp totp, long counter, String issuer, String account) {
            this.hotp = hotp;
            this.totp = totp;
            this.counter = counter;
            this.issuer = issuer;
            this.account = account;
        }
    }

    /**
     * Parses an {@code otpauth://totp/...} or {@code otpauth://hotp/...} URI (label and
     * parameter issuers must agree). @throws PortalCodesException INVALID_ARGUMENT
     */
    public static Enrolment parseUri(String uri) {
        PortalCodesNative.TotpEnrolment e = new PortalCodesNative.TotpEnrolment();
        check(N.pcodes_totp_uri_parse(uri, e));
        e.read();
        byte[] s = Arrays.copyOf(e.secret, e.secret_len.intValue());
        Arrays.fill(e.secret, (byte) 0);
        Totp t = new Totp(s, Algorithm.of(e.algorithm), e.digits, e.period);
        Arrays.fill(s, (byte) 0);
        return new Enrolment(e.is_hotp != 0, t, e.counter, text(e.issuer), text(e.account));
    }

    private static PortalCodesNative.SizeT size(long n) {
        return new PortalCodesNative.SizeT(n);
    }

    /** The NUL-terminated UTF-8 text at the start of {@code buf}. */
    private static String text(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
}

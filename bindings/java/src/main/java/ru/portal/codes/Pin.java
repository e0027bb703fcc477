package ru.portal.codes;

import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static ru.portal.codes.Texts.cstr;

/**
 * PINs: policy check, peppered hash, verification with lockout, rehash after rotation, and PINs
 * the portal generates ({@link #generate}).
 * See {@code docs/pin.md}. Every method but {@link #checkReason} throws {@link PortalCodesException}
 * for a non-OK status.
 *
 * <p>State blobs ({@link State#create()}) are read and rewritten in place, also on
 * failure: store them back with compare-and-swap.
 */
public final class Pin {
    private Pin() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size of a stored hash string including NUL ({@code PCODES_PIN_HASH_BYTES}). */
    public static final int HASH_BYTES = N.pcodes_pin_hash_bytes().intValue();

    /** Buffer size of a generated PIN including NUL ({@code PCODES_PIN_GENERATE_BYTES}, 7). */
    public static final int GENERATE_BYTES = N.pcodes_pin_generate_bytes().intValue();

    /** Why a PIN was refused as weak ({@code PCODES_PIN_WEAK_*}). */
    public enum Weakness {
        NONE(0), BLOCKLIST(1), REPEATED_DIGIT(2), SEQUENCE(3), KEYPAD_LINE(4), REPEATED_HALVES(5),
        DATE(6), YEAR(7), BIRTH_DATE(8),
        /** A value this binding does not know (a newer library). */
        UNKNOWN(-1);

        private final int code;

        Weakness(int code) {
            this.code = code;
        }

        /** The C value. */
        public int code() {
            return code;
        }

        /** The reason for a C value. */
        public static Weakness of(int code) {
            for (Weakness w : values()) {
                if (w.code == code) {
                    return w;
                }
            }
            return UNKNOWN;
        }
    }

    /** The verdict of {@link #checkReason}: {@code status} OK when accepted; {@code reason} for PIN_WEAK. */
    public record Review(Status status, Weakness reason) {
        /** Whether the PIN may be used. */
        public boolean accepted() {
            return status == Status.OK;
        }
    }

    /**
     * Checks a new PIN typed twice; {@code birthDate} ("YYYY-MM-DD") may be null
     * ({@code pcodes_pin_check}).
     *
     * @throws PortalCodesException PIN_FORMAT, PIN_MISMATCH, INVALID_BIRTH_DATE, PIN_WEAK
     */
    public static void check(Context ctx, String pin, String confirm, String birthDate) {
        ctx.check(p -> N.pcodes_pin_check(p, cstr(pin, "pin"), cstr(confirm, "confirm"), cstr(birthDate, "birth_date")));
    }

    /**
     * Like {@link #check} but returns the verdict and, for a weak PIN, the reason, instead of
     * throwing ({@code pcodes_pin_check_reason}). Only a misuse (a closed context, a string with
     * U+0000) throws.
     */
    public static Review checkReason(Context ctx, String pin, String confirm, String birthDate) {
        IntByReference why = new IntByReference();
        int rc = ctx.status(p -> N.pcodes_pin_check_reason(p, cstr(pin, "pin"), cstr(confirm, "confirm"),
                cstr(birthDate, "birth_date"), why));
        return new Review(Status.of(rc), Weakness.of(why.getValue()));
    }

    /**
     * A PIN of {@code length} digits (4 or 6, allowed by {@link Setting#PIN_LENGTHS}) for a "Get
     * PIN" button, drawn uniformly from the PINs that {@code check(ctx, pin, pin, birthDate)}
     * accepts: never on the blocklist, never a pattern, never derived from {@code birthDate}
     * ("YYYY-MM-DD", may be null) ({@code pcodes_pin_generate}). Show it once, store only
     * {@link #hash} of it. The native buffer is cleared before this returns; a Java
     * {@code String} cannot be cleared, so drop the reference soon.
     *
     * @throws PortalCodesException INVALID_ARGUMENT (length), INVALID_BIRTH_DATE, RNG_FAILURE
     */
    public static String generate(Context ctx, int length, String birthDate) {
        byte[] buf = new byte[GENERATE_BYTES];
        try {
            ctx.check(p -> N.pcodes_pin_generate(p, length, cstr(birthDate, "birth_date"), buf,
                    new PortalCodesNative.SizeT(buf.length)));
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
     * Hashes {@code pin} for {@code accountId} under the current pepper key, lanes and iterations
     * ({@code pcodes_pin_hash}): a {@code v=2} string.
     *
     * @throws PortalCodesException PIN_FORMAT, INVALID_ARGUMENT, RNG_FAILURE
     */
    public static String hash(Context ctx, String accountId, String pin) {
        byte[] out = new byte[HASH_BYTES];
        ctx.check(p -> N.pcodes_pin_hash(p, cstr(accountId, "account_id"), cstr(pin, "pin"), out, new PortalCodesNative.SizeT(out.length)));
        int n = 0;
        while (out[n] != 0) {
            n++;
        }
        return new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    /**
     * Verifies in one call, counting a wrong PIN in {@code state} ({@code pcodes_pin_verify}).
     * {@code stored == null} is the dummy verification for an
     * unknown account: the same work is done, {@code state} (the blob kept for the typed name,
     * required) counts and locks exactly as for a real account, and WRONG is thrown.
     *
     * @throws PortalCodesException WRONG, LOCKED, BLOCKED, MALFORMED_HASH, UNKNOWN_KEY, PIN_FORMAT,
     *     CORRUPT_STATE
     */
    public static void verify(Context ctx, String accountId, String pin, String stored, long now, byte[] state) {
        ctx.check(p -> N.pcodes_pin_verify(p, cstr(accountId, "account_id"), cstr(pin, "pin"), cstr(stored, "stored"), now, blob(state), len(state)));
    }

    /**
     * Phase 1 of the compare-and-swap protocol: pre-counts this attempt in {@code state}; store the
     * blob with compare-and-swap before calling {@link #verifyFinish}. Cheap
     * ({@code pcodes_pin_verify_begin}; {@code stored == null} as in {@link #verify}).
     *
     * @throws PortalCodesException LOCKED, BLOCKED, MALFORMED_HASH, UNKNOWN_KEY, PIN_FORMAT, CORRUPT_STATE
     */
    public static void verifyBegin(Context ctx, String accountId, String pin, String stored, long now, byte[] state) {
        ctx.check(p -> N.pcodes_pin_verify_begin(p, cstr(accountId, "account_id"), cstr(pin, "pin"), cstr(stored, "stored"), now, blob(state), len(state)));
    }

    /**
     * Phase 2: runs PBKDF2; on success clears the failures in {@code state} (store it again;
     * {@code pcodes_pin_verify_finish}).
     *
     * @throws PortalCodesException WRONG, NO_CHALLENGE (no begin), MALFORMED_HASH, UNKNOWN_KEY
     */
    public static void verifyFinish(Context ctx, String accountId, String pin, String stored, long now, byte[] state) {
        ctx.check(p -> N.pcodes_pin_verify_finish(p, cstr(accountId, "account_id"), cstr(pin, "pin"), cstr(stored, "stored"), now, blob(state), len(state)));
    }

    /**
     * Phase 2a: runs PBKDF2 and compares, touching no state; record the result with
     * {@link #verifyApply}, which can be retried on a lost compare-and-swap without a second PBKDF2
     * ({@code pcodes_pin_verify_compute}). {@code stored == null} (an unknown account) does the
     * same work and returns {@code false}.
     *
     * @throws PortalCodesException PIN_FORMAT, MALFORMED_HASH, UNKNOWN_KEY
     */
    public static boolean verifyCompute(Context ctx, String accountId, String pin, String stored) {
        ByteByReference out = new ByteByReference();
        ctx.check(p -> N.pcodes_pin_verify_compute(p, cstr(accountId, "account_id"), cstr(pin, "pin"), cstr(stored, "stored"), out));
        return out.getValue() != 0;
    }

    /**
     * Phase 2b: records {@link #verifyCompute}'s result in {@code state} (store it again;
     * {@code pcodes_pin_verify_apply}).
     *
     * @throws PortalCodesException WRONG (did not match), NO_CHALLENGE (no begin), CORRUPT_STATE
     */
    public static void verifyApply(boolean matched, long now, byte[] state) {
        PortalCodesException.check(N.pcodes_pin_verify_apply((byte) (matched ? 1 : 0), now, state, len(state)));
    }

    /**
     * Whether {@code stored} should be replaced by a new {@link #hash} of the PIN just verified
     * ({@code pcodes_pin_needs_rehash}).
     *
     * @throws PortalCodesException MALFORMED_HASH
     */
    public static boolean needsRehash(Context ctx, String stored) {
        ByteByReference out = new ByteByReference();
        ctx.check(p -> N.pcodes_pin_needs_rehash(p, cstr(stored, "stored"), out));
        return out.getValue() != 0;
    }

    /** The name of a weakness reason, e.g. "KEYPAD_LINE" ({@code pcodes_pin_weakness_name}). */
    public static String weaknessName(Weakness w) {
        return N.pcodes_pin_weakness_name(w.code());
    }

    private static PortalCodesNative.SizeT len(byte[] state) {
        return new PortalCodesNative.SizeT(state == null ? 0 : state.length);
    }

    /**
     * The state blob of a verification, which is required: the C library's deprecated form for
     * hosts built against its 0.1 header ({@code stored = NULL} with {@code state = NULL}, which
     * counts nothing) is not offered in Java.
     */
    private static byte[] blob(byte[] state) {
        if (state == null) {
            throw new PortalCodesException(Status.NULL_ARGUMENT.code(), "state: NULL; pass the account's blob (for an unknown account, the blob kept for the typed name)");
        }
        return state;
    }
}

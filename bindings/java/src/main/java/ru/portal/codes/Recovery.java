package ru.portal.codes;

import com.sun.jna.ptr.IntByReference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static ru.portal.codes.PortalCodesException.check;
import static ru.portal.codes.Texts.cstr;

/**
 * Recovery codes ({@code pcodes_recovery_*}, {@code docs/recovery.md}): a set of single-use codes
 * the person writes down. {@link #generate} returns the codes (show them once) and the string to
 * store for the account, and rewrites the account's recovery blob ({@link State#create()});
 * store string and blob in one row with compare-and-swap. {@link #verify} consumes a code and
 * returns how many are left; store the blob back after every call, also when it throws. A
 * verdict is final only after the compare-and-swap that stores its blob succeeded.
 *
 * <pre>{@code
 * Recovery.Generated set = Recovery.generate(ctx, accountId, Recovery.DEFAULT_COUNT, state);
 * // show set.codes() once; store set.stored() and state together
 * int left = Recovery.verify(ctx, accountId, stored, typed, now, state); // throws unless OK
 * }</pre>
 */
public final class Recovery {
    private Recovery() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size of one code, {@code XXXX-XXXX-XXXX} plus NUL ({@code PCODES_RECOVERY_CODE_BYTES}). */
    public static final int CODE_BYTES = N.pcodes_recovery_code_bytes().intValue();

    /** Buffer size of the stored string including NUL ({@code PCODES_RECOVERY_STORED_BYTES}). */
    public static final int STORED_BYTES = N.pcodes_recovery_stored_bytes().intValue();

    /** Codes in a set unless the host asks for another number ({@code PCODES_RECOVERY_DEFAULT_COUNT}). */
    public static final int DEFAULT_COUNT = 10;

    /** Most codes in a set ({@code PCODES_RECOVERY_MAX_COUNT}). */
    public static final int MAX_COUNT = 16;

    /** A generated set: the codes to show once, and the string to store for the account. */
    public static final class Generated {
        private final List<String> codes;
        private final String stored;

        Generated(List<String> codes, String stored) {
            this.codes = Collections.unmodifiableList(codes);
            this.stored = stored;
        }

        /** The codes, {@code XXXX-XXXX-XXXX}, in order. */
        public List<String> codes() {
            return codes;
        }

        /** The string to store for the account (no code can be read from it). */
        public String stored() {
            return stored;
        }

        /** Shows the number of codes only. */
        @Override
        public String toString() {
            return "Recovery.Generated(" + codes.size() + " codes)";
        }
    }

    /**
     * Generates {@code count} codes (1 to {@link #MAX_COUNT}) for {@code accountId} and records
     * the set in {@code state}; any earlier set is dead from then on ({@code
     * pcodes_recovery_generate}). Not an attempt: no lock refuses it. The native buffer is
     * cleared before this returns.
     *
     * @throws PortalCodesException INVALID_ARGUMENT (empty account id, count), CORRUPT_STATE,
     *     RNG_FAILURE, PEPPER_FAILED (the {@link Pepper} device of the context failed)
     */
    public static Generated generate(Context ctx, String accountId, int count, byte[] state) {
        int slots = Math.max(1, Math.min(count, MAX_COUNT));
        byte[] codes = new byte[slots * CODE_BYTES];
        byte[] stored = new byte[STORED_BYTES];
        try {
            ctx.check(p -> N.pcodes_recovery_generate(p, cstr(accountId, "account_id"), count, state,
                    size(state), codes, size(codes), stored, size(stored)));
            List<String> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(text(codes, i * CODE_BYTES));
            }
            return new Generated(out, text(stored, 0));
        } finally {
            Arrays.fill(codes, (byte) 0);
        }
    }

    /**
     * Checks a code as typed (either case, dashes and spaces ignored) against the account's
     * {@code stored} string and {@code state}; returns the number of codes left if it was
     * accepted (the code is then used; {@code pcodes_recovery_verify}).
     *
     * @throws PortalCodesException LOCKED, BLOCKED, NO_CHALLENGE, SUPERSEDED (string and blob of
     *     different sets), MISTYPED, WRONG (the only one counted), ALREADY_USED, MALFORMED_HASH,
     *     UNKNOWN_KEY, CORRUPT_STATE, INVALID_ARGUMENT, PEPPER_FAILED (the {@link Pepper} device of
     *     the context failed: no verdict, not counted, state unchanged)
     */
    public static int verify(Context ctx, String accountId, String stored, String code, long now, byte[] state) {
        IntByReference left = new IntByReference();
        ctx.check(p -> N.pcodes_recovery_verify(p, cstr(accountId, "account_id"), cstr(stored, "stored"),
                cstr(code, "code"), now, state, size(state), left));
        return left.getValue();
    }

    /**
     * The codes of the set in {@code state} not used yet, 0 for a fresh blob ({@code
     * pcodes_recovery_remaining}).
     *
     * @throws PortalCodesException CORRUPT_STATE
     */
    public static int remaining(byte[] state) {
        IntByReference left = new IntByReference();
        check(N.pcodes_recovery_remaining(state, size(state), left));
        return left.getValue();
    }

    private static String text(byte[] buf, int from) {
        int n = from;
        while (buf[n] != 0) {
            n++;
        }
        return new String(buf, from, n - from, StandardCharsets.US_ASCII);
    }

    private static PortalCodesNative.SizeT size(byte[] b) {
        return new PortalCodesNative.SizeT(b.length);
    }
}

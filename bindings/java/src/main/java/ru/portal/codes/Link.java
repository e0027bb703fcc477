package ru.portal.codes;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

import java.nio.charset.StandardCharsets;

import static ru.portal.codes.PortalCodesException.check;

import static ru.portal.codes.Texts.cstr;

/**
 * Link codes: the code that attaches a child's record to a parent's account (see
 * {@code docs/link-code.md}). The portal {@linkplain #issue issues} a code, the parent types it,
 * the portal {@linkplain #parse finds the record} from it and {@linkplain #redeem redeems} it
 * against the record's current data and state blob (store the blob back with compare-and-swap).
 */
public final class Link {
    private Link() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Buffer size of a code, NUL included ({@code PCODES_LINK_CODE_BYTES}). */
    public static final int CODE_BYTES = N.pcodes_link_code_bytes().intValue();

    /** {@link #childCheck} bit: full name ({@code PCODES_FIELD_FULL_NAME}). */
    public static final int FIELD_FULL_NAME = 1;
    /** {@link #childCheck} bit: birth date ({@code PCODES_FIELD_BIRTH_DATE}). */
    public static final int FIELD_BIRTH_DATE = 2;
    /** {@link #childCheck} bit: sex ({@code PCODES_FIELD_SEX}). */
    public static final int FIELD_SEX = 4;
    /** {@link #childCheck} bit: SNILS ({@code PCODES_FIELD_SNILS}). */
    public static final int FIELD_SNILS = 8;

    /**
     * A child's data as the portal stores it: full name, birth date {@code "YYYY-MM-DD"}, sex
     * {@code "M"}/{@code "F"} (or Cyrillic {@code "М"}/{@code "Ж"}), SNILS. Any field may be null
     * or blank (then it is missing). {@link #toString()} does not show the data.
     */
    public record Child(String fullName, String birthDate, String sex, String snils) {
        PortalCodesNative.pcodes_child toNative() {
            PortalCodesNative.pcodes_child c = new PortalCodesNative.pcodes_child();
            c.full_name = cstr(fullName, "child: full_name");
            c.birth_date = cstr(birthDate, "child: birth_date");
            c.sex = cstr(sex, "child: sex");
            c.snils = cstr(snils, "child: snils");
            return c;
        }

        @Override
        public String toString() {
            try {
                return "Child(missing=" + childCheck(this) + ")";
            } catch (PortalCodesException e) {
                return "Child(" + e.statusName() + ")";
            }
        }
    }

    /**
     * The {@code FIELD_*} bits of the missing fields, 0 if none ({@code pcodes_child_check}, whose
     * MISSING_FIELD is this non-zero answer, not an exception).
     */
    public static int childCheck(Child child) {
        IntByReference out = new IntByReference();
        int rc = N.pcodes_child_check(child.toNative(), out);
        if (rc != Status.MISSING_FIELD.code()) {
            check(rc);
        }
        return out.getValue();
    }

    /**
     * Issues a new code for {@code recordId}; it supersedes the record's earlier codes
     * ({@code pcodes_link_issue}).
     *
     * @return the code, {@code "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"}
     * @throws PortalCodesException MISSING_FIELD, INVALID_SNILS, INVALID_BIRTH_DATE,
     *     INVALID_ARGUMENT, CORRUPT_STATE, RNG_FAILURE
     */
    public static String issue(Context ctx, long recordId, Child child, long now, byte[] state) {
        byte[] out = new byte[CODE_BYTES];
        PortalCodesNative.pcodes_child c = child.toNative();
        ctx.check(p -> N.pcodes_link_issue(p, recordId, c, now, state, new PortalCodesNative.SizeT(state.length), out,
                new PortalCodesNative.SizeT(out.length)));
        int n = 0;
        while (n < out.length && out[n] != 0) {
            n++;
        }
        return new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    /**
     * The record id a typed code names (no key needed; {@code pcodes_link_parse}).
     *
     * @throws PortalCodesException MISTYPED for a typing error
     */
    public static long parse(String code) {
        LongByReference out = new LongByReference();
        check(N.pcodes_link_parse(cstr(code, "code"), out));
        return out.getValue();
    }

    /**
     * Redeems a typed code for the record whose current data is {@code child}; returns normally
     * on success (the code is now used; {@code pcodes_link_redeem}). LOCKED and BLOCKED answer
     * only codes whose tag does not verify: the real code is redeemed also on a record that
     * forged codes locked or blocked, and a redeem leaves the lockout as it was.
     *
     * @throws PortalCodesException LOCKED, BLOCKED, MISTYPED, UNKNOWN_KEY, WRONG, DATA_CHANGED,
     *     SUPERSEDED, ALREADY_USED, EXPIRED, CORRUPT_STATE
     */
    public static void redeem(Context ctx, String code, Child child, long now, byte[] state) {
        PortalCodesNative.pcodes_child c = child.toNative();
        ctx.check(p -> N.pcodes_link_redeem(p, cstr(code, "code"), c, now, state, new PortalCodesNative.SizeT(state.length)));
    }
}

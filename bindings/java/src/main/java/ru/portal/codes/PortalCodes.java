package ru.portal.codes;

import com.sun.jna.ptr.LongByReference;

import static ru.portal.codes.PortalCodesException.check;

/** Library-wide functions: version, clock, state blobs, status texts. */
public final class PortalCodes {
    private PortalCodes() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Size of every state blob ({@code PCODES_STATE_BYTES}). */
    public static final int STATE_BYTES = N.pcodes_state_bytes().intValue();

    /** A fresh (all-zero) state blob. */
    public static byte[] newState() {
        return new byte[STATE_BYTES];
    }

    /** The library version, "MAJOR.MINOR.PATCH". */
    public static String version() {
        return N.pcodes_version();
    }

    /** The current time in unix seconds. */
    public static long now() {
        return N.pcodes_now();
    }

    /**
     * When the holder of {@code state} may try again: 0 if not waiting, -1 (UINT64_MAX) if
     * blocked until {@link #reset}.
     */
    public static long retryAt(byte[] state, long now) {
        LongByReference out = new LongByReference();
        check(N.pcodes_state_retry_at(state, new PortalCodesNative.SizeT(state.length), now, out));
        return out.getValue();
    }

    /** Clears failures and any lock or block (support desk). */
    public static void reset(byte[] state) {
        check(N.pcodes_state_reset(state, new PortalCodesNative.SizeT(state.length)));
    }

    /** The C name of a status. */
    public static String statusName(int status) {
        return N.pcodes_status_name(status);
    }

    /** The user-facing message of a status, "ru" or "en". */
    public static String message(Status status, String lang) {
        return N.pcodes_status_message(status.code(), lang);
    }
}

package ru.portal.codes;

import com.sun.jna.ptr.LongByReference;

import static ru.portal.codes.PortalCodesException.check;

/**
 * State blobs ({@code pcodes_state_*}): the {@link #BYTES} bytes a host stores per person and
 * flow (a record's link code, an account's PIN, a confirmation's SMS code, an enrolment's TOTP).
 * The flows read and rewrite them in place, also when they throw: store them back with
 * compare-and-swap.
 */
public final class State {
    private State() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Size of every state blob ({@code PCODES_STATE_BYTES}). */
    public static final int BYTES = N.pcodes_state_bytes().intValue();

    /** A fresh (all-zero) blob. */
    public static byte[] create() {
        return new byte[BYTES];
    }

    /**
     * When the holder of {@code state} may try again ({@code pcodes_state_retry_at}), as a
     * {@link RetryAt} that cannot be read as a time when the holder is blocked (the C value for
     * BLOCKED is {@code UINT64_MAX}, which as a Java {@code long} is -1: "free" to a
     * {@code retryAt > now} test).
     *
     * @throws PortalCodesException CORRUPT_STATE, INVALID_ARGUMENT (now)
     */
    public static RetryAt retryAt(byte[] state, long now) {
        LongByReference out = new LongByReference();
        check(N.pcodes_state_retry_at(state, new PortalCodesNative.SizeT(state.length), now, out));
        return RetryAt.of(out.getValue());
    }

    /**
     * Clears failures and any lock or block, e.g. for a support desk ({@code pcodes_state_reset}).
     *
     * @throws PortalCodesException CORRUPT_STATE
     */
    public static void reset(byte[] state) {
        check(N.pcodes_state_reset(state, new PortalCodesNative.SizeT(state.length)));
    }
}

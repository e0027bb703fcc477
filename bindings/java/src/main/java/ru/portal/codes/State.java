package ru.portal.codes;

import com.sun.jna.ptr.LongByReference;

import static ru.portal.codes.PortalCodesException.check;

/**
 * State blobs ({@code pcodes_state_*}): the {@link #BYTES} bytes a host stores per person and
 * flow (a record's link code, an account's PIN, a confirmation's SMS code, an enrolment's TOTP).
 * The flows read and rewrite them in place, also when they throw: store them back with
 * compare-and-swap. {@link #revoke} kills every outstanding code of a blob (after a password
 * reset, a recovery or a phone-number change); {@link #events} tells what a call did to the
 * protection (failures counted, locks, blocks, clears, recovery codes used, devices trusted).
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

    /** {@link #revoke} flag: outstanding SMS/e-mail codes and link codes ({@code PCODES_REVOKE_CODES}). */
    public static final int REVOKE_CODES = 1;

    /** {@link #revoke} flag: the account's recovery-code set ({@code PCODES_REVOKE_RECOVERY}). */
    public static final int REVOKE_RECOVERY = 2;

    /** {@link #revoke} flag: every trusted device ({@code PCODES_REVOKE_DEVICES}; {@link Device#revokeAll}). */
    public static final int REVOKE_DEVICES = 4;

    /**
     * Kills what {@code what} names ({@link #REVOKE_CODES}, {@link #REVOKE_RECOVERY}, or both) in
     * one blob of any flow, in place ({@code pcodes_state_revoke}): the flow then answers
     * NO_CHALLENGE (not counted) until it issues again. Failures, locks, the SMS cooldown and the
     * TOTP/HOTP replay counters stay. After a password reset, a recovery or a phone-number change,
     * revoke every blob of the account and store them all in one transaction with
     * compare-and-swap: the revocation counts only once every write succeeded
     * ({@code docs/revoke.md}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT (no flag, or another bit), CORRUPT_STATE (the blob is left unchanged)
     */
    public static void revoke(byte[] state, int what) {
        check(N.pcodes_state_revoke(state, new PortalCodesNative.SizeT(state.length), what));
    }

    /** {@link Events#flags()} bit: a failure was counted ({@code PCODES_EVENT_FAILURE_COUNTED}). */
    public static final int EVENT_FAILURE_COUNTED = 1;

    /** {@link Events#flags()} bit: a lock started ({@code PCODES_EVENT_LOCK_STARTED}). */
    public static final int EVENT_LOCK_STARTED = 2;

    /** {@link Events#flags()} bit: the blob became blocked ({@code PCODES_EVENT_BLOCKED}). */
    public static final int EVENT_BLOCKED = 4;

    /** {@link Events#flags()} bit: failures, a lock or a block were cleared ({@code PCODES_EVENT_CLEARED}). */
    public static final int EVENT_CLEARED = 8;

    /** {@link Events#flags()} bit: a recovery code was used ({@code PCODES_EVENT_RECOVERY_USED}). */
    public static final int EVENT_RECOVERY_USED = 16;

    /**
     * {@link Events#flags()} bit: a new device was trusted, i.e. {@link Device#issue} issued a
     * device token ({@code PCODES_EVENT_DEVICE_TRUSTED}).
     */
    public static final int EVENT_DEVICE_TRUSTED = 32;

    /**
     * What a call did to a flow's protection ({@code pcodes_events}); each number is meaningful
     * only with its flag, and 0 without it.
     *
     * @param flags        {@code EVENT_*} bits; 0 = nothing happened to the protection
     * @param failuresLeft with {@link #EVENT_FAILURE_COUNTED}: counted failures that bring the
     *                     next lock or block (the one that reaches it included); 0 once blocked
     * @param lockedUntil  with {@link #EVENT_LOCK_STARTED}: unix seconds at which the lock ends
     * @param recoveryLeft with {@link #EVENT_RECOVERY_USED}: codes of the set left unused
     * @param trustedAt    with {@link #EVENT_DEVICE_TRUSTED}: unix seconds at which the device
     *                     token was issued
     */
    public record Events(int flags, int failuresLeft, long lockedUntil, int recoveryLeft, long trustedAt) {
        /** Whether every bit of {@code flag} (an {@code EVENT_*} constant) is set. */
        public boolean has(int flag) {
            return flag != 0 && (flags & flag) == flag;
        }
    }

    /**
     * What the call that turned {@code oldState} into {@code newState} at {@code now} (that
     * call's time and context) did to the protection ({@code pcodes_state_events}): pass the blob
     * the call read and the one whose compare-and-swap succeeded. For a PIN verified in two
     * phases, the blob before {@code verifyBegin} and the one after {@code verifyFinish}.
     *
     * @throws PortalCodesException INVALID_ARGUMENT (now, or blobs of two different flows),
     *         CORRUPT_STATE
     */
    public static Events events(Context ctx, byte[] oldState, byte[] newState, long now) {
        PortalCodesNative.pcodes_events out = new PortalCodesNative.pcodes_events();
        ctx.check(p -> N.pcodes_state_events(p, oldState, new PortalCodesNative.SizeT(oldState.length),
                newState, new PortalCodesNative.SizeT(newState.length), now, out));
        return new Events(out.flags, out.failures_left, out.locked_until, out.recovery_left, out.trusted_at);
    }
}

package ru.portal.codes;

/**
 * Context settings ({@code PCODES_SETTING_*}): the C value, the default a new {@link Context}
 * has, and the range {@link Context#set} accepts. A test reads every one back against the
 * header's {@code #define}s and the library ({@code pcodes_ctx_get} on a new context,
 * {@code pcodes_ctx_set} at and beyond the bounds), so this table cannot drift from the C side.
 */
public enum Setting {
    /** Link-code validity, seconds. */
    LINK_TTL_SECONDS(1, 600, 60, 86_400),
    /** SMS/e-mail code validity, seconds. */
    OTP_TTL_SECONDS(2, 300, 30, 3_600),
    /** SMS/e-mail code length. */
    OTP_DIGITS(3, 6, 4, 8),
    /** Wrong tries allowed per SMS/e-mail code. */
    OTP_MAX_ATTEMPTS(4, 3, 1, 10),
    /** Minimum seconds between two sends. */
    OTP_RESEND_SECONDS(5, 60, 0, 3_600),
    /** Sends allowed per rolling hour. */
    OTP_MAX_SENDS_PER_HOUR(6, 5, 1, 10),
    /** PBKDF2 iterations for new PIN hashes. */
    PIN_ITERATIONS(7, 600_000, 10_000, 10_000_000),
    /**
     * Allowed PIN lengths, bit n = length n: {@code 0x10} (4 digits), {@code 0x40} (6) or
     * {@code 0x50} (both); {@link #min()} and {@link #max()} are the smallest and largest of them.
     */
    PIN_LENGTHS(8, 0x50, 0x10, 0x50),
    /** Consecutive failures that lock. */
    LOCK_AFTER_FAILURES(9, 5, 1, 1_000),
    /** First lock, seconds. */
    LOCK_FIRST_SECONDS(10, 900, 1, 604_800),
    /** Every later lock, seconds. */
    LOCK_REPEAT_SECONDS(11, 1_800, 1, 604_800),
    /** Consecutive failures that block until {@link State#reset}. */
    BLOCK_AFTER_FAILURES(12, 15, 1, 1_000),
    /** TOTP steps accepted either side of the current one. */
    TOTP_WINDOW_STEPS(13, 1, 0, 10),
    /** HOTP counters looked ahead. */
    HOTP_LOOK_AHEAD(14, 10, 0, 1_000);

    private final int id;
    private final long defaultValue;
    private final long min;
    private final long max;

    Setting(int id, long defaultValue, long min, long max) {
        this.id = id;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
    }

    /** The C value ({@code PCODES_SETTING_<name>}). */
    public int id() {
        return id;
    }

    /** The value of a new context. */
    public long defaultValue() {
        return defaultValue;
    }

    /** The smallest value {@link Context#set} accepts. */
    public long min() {
        return min;
    }

    /** The largest value {@link Context#set} accepts. */
    public long max() {
        return max;
    }
}

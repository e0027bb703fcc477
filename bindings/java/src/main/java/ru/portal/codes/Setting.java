package ru.portal.codes;

import com.sun.jna.ptr.LongByReference;

/**
 * Context settings ({@code PCODES_SETTING_*}): the C value, and, read from the library at run
 * time ({@code pcodes_setting_info}, {@code pcodes_setting_name}), the default a new
 * {@link Context} has, the range {@link Context#set} accepts and the C name. Only the ids are
 * written here; a test reads them back against the header's {@code #define}s and the library.
 */
public enum Setting {
    /** Link-code validity, seconds. */
    LINK_TTL_SECONDS(1),
    /** SMS/e-mail code validity, seconds. */
    OTP_TTL_SECONDS(2),
    /** SMS/e-mail code length. */
    OTP_DIGITS(3),
    /** Wrong tries allowed per SMS/e-mail code. */
    OTP_MAX_ATTEMPTS(4),
    /** Minimum seconds between two sends. */
    OTP_RESEND_SECONDS(5),
    /** Sends allowed per rolling hour. */
    OTP_MAX_SENDS_PER_HOUR(6),
    /** PBKDF2 iterations for new PIN hashes, single-lane equivalents (see {@link #PIN_LANES}). */
    PIN_ITERATIONS(7),
    /**
     * Allowed PIN lengths, bit n = length n: {@code 0x10} (4 digits), {@code 0x40} (6) or
     * {@code 0x50} (both); {@link #min()} and {@link #max()} are the smallest and largest of them.
     */
    PIN_LENGTHS(8),
    /** Consecutive failures that lock. */
    LOCK_AFTER_FAILURES(9),
    /** First lock, seconds. */
    LOCK_FIRST_SECONDS(10),
    /** Every later lock, seconds. */
    LOCK_REPEAT_SECONDS(11),
    /** Consecutive failures that block until {@link State#reset}. */
    BLOCK_AFTER_FAILURES(12),
    /** TOTP steps accepted either side of the current one. */
    TOTP_WINDOW_STEPS(13),
    /** HOTP counters looked ahead. */
    HOTP_LOOK_AHEAD(14),
    /**
     * PBKDF2 blocks (lanes) of new PIN hashes: each runs {@code ceil(PIN_ITERATIONS / lanes)}
     * iterations, all computed together, so the attacker's work stays {@link #PIN_ITERATIONS}.
     */
    PIN_LANES(15),
    /** Seconds after which a run of failures fades (0 = never). */
    FAILURE_RESET_SECONDS(16),
    /** Capacity of the guess budget a success does not renew. */
    BUDGET_GUESSES(17),
    /** Seconds in which one guess drains from the budget. */
    BUDGET_DRAIN_SECONDS(18),
    /** Device-token validity, seconds ({@link Device}). */
    DEVICE_TRUST_SECONDS(19);

    private final int id;
    /** {default, min, max}, read from the library on first use. */
    private volatile long[] info;

    Setting(int id) {
        this.id = id;
    }

    /** The C value ({@code PCODES_SETTING_<name>}). */
    public int id() {
        return id;
    }

    /** The C name, e.g. {@code "PCODES_SETTING_OTP_DIGITS"} ({@code pcodes_setting_name}). */
    public String cName() {
        return PortalCodesNative.INSTANCE.pcodes_setting_name(id);
    }

    private long[] info() {
        long[] i = info;
        if (i == null) {
            LongByReference d = new LongByReference();
            LongByReference lo = new LongByReference();
            LongByReference hi = new LongByReference();
            PortalCodesException.check(PortalCodesNative.INSTANCE.pcodes_setting_info(id, d, lo, hi));
            i = new long[] {d.getValue(), lo.getValue(), hi.getValue()};
            info = i;
        }
        return i;
    }

    /** The value of a new context ({@code pcodes_setting_info}). */
    public long defaultValue() {
        return info()[0];
    }

    /** The smallest value {@link Context#set} accepts ({@code pcodes_setting_info}). */
    public long min() {
        return info()[1];
    }

    /** The largest value {@link Context#set} accepts ({@code pcodes_setting_info}). */
    public long max() {
        return info()[2];
    }
}

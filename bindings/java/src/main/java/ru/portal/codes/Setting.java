package ru.portal.codes;

/** Context settings ({@code PCODES_SETTING_*}); ranges are documented in the C header. */
public enum Setting {
    LINK_TTL_SECONDS(1),
    OTP_TTL_SECONDS(2),
    OTP_DIGITS(3),
    OTP_MAX_ATTEMPTS(4),
    OTP_RESEND_SECONDS(5),
    OTP_MAX_SENDS_PER_HOUR(6),
    PIN_ITERATIONS(7),
    PIN_LENGTHS(8),
    LOCK_AFTER_FAILURES(9),
    LOCK_FIRST_SECONDS(10),
    LOCK_REPEAT_SECONDS(11),
    BLOCK_AFTER_FAILURES(12),
    TOTP_WINDOW_STEPS(13),
    HOTP_LOOK_AHEAD(14);

    private final int id;

    Setting(int id) {
        this.id = id;
    }

    /** The C value. */
    public int id() {
        return id;
    }
}

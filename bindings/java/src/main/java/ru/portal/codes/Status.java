package ru.portal.codes;

/**
 * The library's status codes ({@code PCODES_STATUS_*}); the numeric values are stable. Every
 * non-OK status reaches Java as a {@link PortalCodesException}. A test reads this list back
 * against {@code pcodes_status_name}, so it cannot drift from the C side.
 */
public enum Status {
    OK(0),
    NULL_ARGUMENT(100),
    BUFFER_TOO_SMALL(101),
    INVALID_ARGUMENT(102),
    BAD_KEY(103),
    UNKNOWN_KEY(104),
    CORRUPT_STATE(105),
    MISSING_FIELD(110),
    INVALID_SNILS(111),
    INVALID_BIRTH_DATE(112),
    PIN_FORMAT(120),
    PIN_MISMATCH(121),
    PIN_WEAK(122),
    MALFORMED_HASH(123),
    MISTYPED(200),
    WRONG(201),
    EXPIRED(202),
    SUPERSEDED(203),
    /**
     * The right code typed again (a double submit, or a replay): <b>never a success</b>. The proof was
     * the first OK, whose blob was stored with compare-and-swap; refuse the operation here.
     */
    ALREADY_USED(204),
    DATA_CHANGED(205),
    LOCKED(206),
    BLOCKED(207),
    TOO_SOON(208),
    NO_CHALLENGE(209),
    ATTEMPTS_EXHAUSTED(210),
    /** The device token is malformed, forged or another account's: verify without it ({@link Device}). */
    DEVICE_UNTRUSTED(220),
    /** The account's devices were revoked after this token was issued: verify without it ({@link Device}). */
    DEVICE_REVOKED(221),
    INTERNAL(900),
    RNG_FAILURE(901),
    /** The host's pepper device ({@link Pepper}) failed: no verdict, nothing counted; try again later. */
    PEPPER_FAILED(902),
    /** A value this binding does not know (a newer library). */
    UNKNOWN(-1);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The C value. */
    public int code() {
        return code;
    }

    /** The C name, e.g. {@code "PCODES_STATUS_EXPIRED"} ({@code pcodes_status_name}). */
    public String cName() {
        return PortalCodesNative.INSTANCE.pcodes_status_name(code);
    }

    /**
     * Who has to act on it ({@code pcodes_status_class}): the developer, the person who typed
     * something, nobody (a verdict), or it is internal. Read from the library at run time.
     */
    public StatusClass statusClass() {
        return StatusClass.of(PortalCodesNative.INSTANCE.pcodes_status_class(code));
    }

    /**
     * A short, polite message for the person ({@code pcodes_status_message}): {@code "ru"} for
     * Russian, anything else English.
     */
    public String message(String lang) {
        return PortalCodesNative.INSTANCE.pcodes_status_message(code, Texts.cstr(lang, "lang"));
    }

    /** The status for a C value; {@link #UNKNOWN} if this binding does not know it. */
    public static Status of(int code) {
        for (Status s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}

package ru.portal.codes;

/**
 * A non-OK status from the library. Carries the {@link Status}, the raw code and the C name;
 * {@link #userMessage(String)} gives the text to show the person ("ru" or "en"). Never contains
 * a code, PIN or key.
 */
public class PortalCodesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;
    private final int code;

    PortalCodesException(int code) {
        super(PortalCodesNative.INSTANCE.pcodes_status_name(code) + ": "
                + PortalCodesNative.INSTANCE.pcodes_status_message(code, "en"));
        this.code = code;
        this.status = Status.of(code);
    }

    /** The status. */
    public Status status() {
        return status;
    }

    /** The raw C status value. */
    public int code() {
        return code;
    }

    /** The C name, e.g. {@code "PCODES_STATUS_EXPIRED"}. */
    public String statusName() {
        return PortalCodesNative.INSTANCE.pcodes_status_name(code);
    }

    /** A short, polite message for the person: {@code "ru"} for Russian, anything else English. */
    public String userMessage(String lang) {
        return PortalCodesNative.INSTANCE.pcodes_status_message(code, lang);
    }

    /**
     * The one place that maps a C status to Java: OK returns, anything else throws.
     *
     * @throws PortalCodesException for every status other than OK
     */
    public static void check(int rc) {
        if (rc != 0) {
            throw new PortalCodesException(rc);
        }
    }
}

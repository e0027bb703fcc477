package ru.portal.codes;

/**
 * Every non-OK status of the library, as one exception type. It carries:
 * <ul>
 *   <li>{@link #status()}: what happened ({@link Status}; {@link #code()} is the raw C value);</li>
 *   <li>{@link #detail()}: for the developer, which argument the call refused and why, in English
 *       ({@code pcodes_last_error_detail()}, e.g. {@code "now: must be 1 ..= 253402300799 ..."});
 *       empty for a verdict about a code or PIN. Log it, never show it to the person;</li>
 *   <li>{@link #userMessage(String)}: the short, polite text to show the person
 *       ({@code pcodes_status_message}, {@code "ru"} or English).</li>
 * </ul>
 * {@link #getMessage()} is {@code "PCODES_STATUS_…: "} followed by the detail, or by the English
 * user message when there is no detail. None of them ever contains a code, PIN or key.
 */
public class PortalCodesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;
    private final int code;
    private final String detail;

    PortalCodesException(int code, String detail) {
        super(PortalCodesNative.INSTANCE.pcodes_status_name(code) + ": "
                + (detail.isEmpty() ? PortalCodesNative.INSTANCE.pcodes_status_message(code, "en") : detail));
        this.code = code;
        this.status = Status.of(code);
        this.detail = detail;
    }

    /** The status. */
    public Status status() {
        return status;
    }

    /** The raw C status value. */
    public int code() {
        return code;
    }

    /** The C name, e.g. {@code "PCODES_STATUS_EXPIRED"} ({@code pcodes_status_name}). */
    public String statusName() {
        return PortalCodesNative.INSTANCE.pcodes_status_name(code);
    }

    /**
     * For the developer: which argument the failed call refused and why, in English
     * ({@code pcodes_last_error_detail}, read right after the call on the same thread); {@code ""}
     * when the status is a verdict (a wrong or expired code, a weak PIN, ...).
     */
    public String detail() {
        return detail;
    }

    /** For the person: a short, polite message, {@code "ru"} for Russian, anything else English. */
    public String userMessage(String lang) {
        return PortalCodesNative.INSTANCE.pcodes_status_message(code, Texts.cstr(lang, "lang"));
    }

    /**
     * The one place that maps a C status to Java: OK returns, anything else throws. Call it right
     * after the native call, on the same thread, so that the detail is that call's.
     *
     * @throws PortalCodesException for every status other than OK
     */
    static void check(int rc) {
        if (rc != 0) {
            throw new PortalCodesException(rc, PortalCodesNative.INSTANCE.pcodes_last_error_detail());
        }
    }
}

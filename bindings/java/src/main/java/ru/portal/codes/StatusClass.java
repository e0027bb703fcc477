package ru.portal.codes;

/**
 * What kind of outcome a {@link Status} is ({@code PCODES_CLASS_*}, from
 * {@code pcodes_status_class}): who has to act on it. A test reads the values back against the
 * header.
 */
public enum StatusClass {
    /** {@link Status#OK}. */
    OK(0),
    /** The calling code passed something the function refuses: a bug to fix (see the detail). */
    DEVELOPER_ERROR(1),
    /** What a person typed (a PIN, a child's data) fails a check: ask them to correct it. */
    DATA_CHECK(2),
    /** A verdict about a code or PIN ({@code WRONG}, {@code EXPIRED}, {@code LOCKED}, ...). */
    VERDICT(3),
    /** Something failed inside the library or the system: try again later. */
    INTERNAL(4),
    /** A status the library does not know ({@code PCODES_CLASS_UNKNOWN}), or a newer class. */
    UNKNOWN(-1);

    private final int id;

    StatusClass(int id) {
        this.id = id;
    }

    /** The C value. */
    public int id() {
        return id;
    }

    /** The class for a C value; {@link #UNKNOWN} if this binding does not know it. */
    public static StatusClass of(int id) {
        for (StatusClass c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return UNKNOWN;
    }
}

package ru.portal.codes;

/**
 * The HMAC hash of a TOTP or HOTP enrolment ({@code PCODES_ALGORITHM_*}). SHA1 is the only one
 * every authenticator app supports.
 */
public enum Algorithm {
    SHA1(1), SHA256(2), SHA512(3);

    private final int id;

    Algorithm(int id) {
        this.id = id;
    }

    /** The C value. */
    public int id() {
        return id;
    }

    /** The algorithm for a C value. @throws IllegalArgumentException for an unknown value */
    public static Algorithm of(int id) {
        for (Algorithm a : values()) {
            if (a.id == id) {
                return a;
            }
        }
        throw new IllegalArgumentException("algorithm " + id);
    }
}

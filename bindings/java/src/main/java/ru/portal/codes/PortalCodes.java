package ru.portal.codes;

/**
 * Library-wide functions: version and clock. The flows are {@link Link}, {@link Pin},
 * {@link Otp}, {@link Totp} and {@link Hotp}; state blobs are {@link State}; keys and settings are
 * a {@link Context}.
 */
public final class PortalCodes {
    private PortalCodes() {
    }

    /** The library version, {@code "MAJOR.MINOR.PATCH"} ({@code pcodes_version}). */
    public static String version() {
        return PortalCodesNative.INSTANCE.pcodes_version();
    }

    /** The current time in unix seconds ({@code pcodes_now}). */
    public static long now() {
        return PortalCodesNative.INSTANCE.pcodes_now();
    }
}

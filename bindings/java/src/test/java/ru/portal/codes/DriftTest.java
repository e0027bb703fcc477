package ru.portal.codes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;

/**
 * The Java tables read back against the C side (issue 14): {@link Status} against
 * {@code pcodes_status_name} and the header, {@link Setting} against the header's
 * {@code PCODES_SETTING_*} and the library's defaults and ranges, the other enums and the
 * {@code *_BYTES} constants against the header. The header is the system property
 * {@code pcodes.header} (the pom sets it to {@code include/portal_codes.h}).
 */
class DriftTest {
    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;
    private static Map<String, Long> defines;
    private static String header;

    @BeforeAll
    static void readHeader() throws IOException {
        String path = System.getProperty("pcodes.header");
        assertNotNull(path, "system property pcodes.header (the path of portal_codes.h) is not set");
        defines = new LinkedHashMap<>();
        header = Files.readString(Path.of(path), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^#define (PCODES_\\w+) (\\d+)\\s*$").matcher(header);
        while (m.find()) {
            defines.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertTrue(defines.size() > 50, "too few #defines read from " + path);
    }

    /** The header's {@code PREFIX*} constants, name without prefix → value. */
    private static Map<String, Long> withPrefix(String prefix) {
        Map<String, Long> out = new TreeMap<>();
        defines.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        assertTrue(!out.isEmpty(), "no " + prefix + "* in the header");
        return out;
    }

    @Test
    void everyCFunctionHasItsJnaMethod() {
        Set<String> c = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(?:const )?\\w+ \\*?(pcodes_\\w+)\\(").matcher(header);
        while (m.find()) {
            c.add(m.group(1));
        }
        assertTrue(c.size() > 40, "too few functions read from the header: " + c);
        Set<String> jna = new TreeSet<>();
        for (Method method : PortalCodesNative.class.getDeclaredMethods()) {
            jna.add(method.getName());
        }
        assertEquals(c, jna);
    }

    @Test
    void statusesMatchTheLibraryAndTheHeader() {
        Map<String, Long> java = new TreeMap<>();
        for (Status s : Status.values()) {
            if (s == Status.UNKNOWN) {
                assertEquals("PCODES_STATUS_UNKNOWN", N.pcodes_status_name(s.code()));
                continue;
            }
            assertEquals("PCODES_STATUS_" + s.name(), N.pcodes_status_name(s.code()), "value of " + s);
            assertEquals("PCODES_STATUS_" + s.name(), s.cName());
            assertTrue(s.statusClass() != StatusClass.UNKNOWN, "class of " + s);
            java.put(s.name(), (long) s.code());
        }
        for (int v = 0; v <= 1000; v++) {
            String name = N.pcodes_status_name(v);
            if (!name.equals("PCODES_STATUS_UNKNOWN")) {
                Status s = Status.of(v);
                assertEquals(name, "PCODES_STATUS_" + s.name(), "the library knows " + v + " as " + name);
            }
        }
        assertEquals(withPrefix("PCODES_STATUS_"), java);
    }

    @Test
    void settingsMatchTheHeaderAndTheLibrary() {
        Map<String, Long> java = new TreeMap<>();
        for (Setting s : Setting.values()) {
            java.put(s.name(), (long) s.id());
        }
        assertEquals(withPrefix("PCODES_SETTING_"), java);
        for (Setting s : Setting.values()) {
            assertEquals("PCODES_SETTING_" + s.name(), s.cName());
        }
        for (Setting s : Setting.values()) {
            try (Context ctx = new Context(key(0x21), 1)) {
                assertEquals(s.defaultValue(), ctx.get(s), "default of " + s);
                ctx.set(s, s.min());
                assertEquals(s.min(), ctx.get(s));
                ctx.set(s, s.max());
                assertEquals(s.max(), ctx.get(s));
                expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(s, s.min() - 1));
                expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(s, s.max() + 1));
            }
        }
    }

    @Test
    void otherEnumsMatchTheHeader() {
        Map<String, Long> weak = new TreeMap<>();
        for (Pin.Weakness w : Pin.Weakness.values()) {
            if (w != Pin.Weakness.UNKNOWN) {
                weak.put(w.name(), (long) w.code());
                assertEquals(w.name(), Pin.weaknessName(w));
            }
        }
        assertEquals(withPrefix("PCODES_PIN_WEAK_"), weak);
        Map<String, Long> alg = new TreeMap<>();
        for (Algorithm a : Algorithm.values()) {
            alg.put(a.name(), (long) a.id());
        }
        assertEquals(withPrefix("PCODES_ALGORITHM_"), alg);
        Map<String, Long> classes = new TreeMap<>();
        for (StatusClass c : StatusClass.values()) {
            if (c != StatusClass.UNKNOWN) {
                classes.put(c.name(), (long) c.id());
            }
        }
        assertEquals(withPrefix("PCODES_CLASS_"), classes);
        assertEquals(StatusClass.UNKNOWN, Status.UNKNOWN.statusClass());
        assertEquals(StatusClass.VERDICT, Status.WRONG.statusClass());
        assertEquals(StatusClass.DEVELOPER_ERROR, Status.NULL_ARGUMENT.statusClass());
        assertEquals(withPrefix("PCODES_FIELD_"), Map.of("FULL_NAME", (long) Link.FIELD_FULL_NAME, "BIRTH_DATE",
                (long) Link.FIELD_BIRTH_DATE, "SEX", (long) Link.FIELD_SEX, "SNILS", (long) Link.FIELD_SNILS));
        assertEquals(withPrefix("PCODES_REVOKE_"),
                Map.of("CODES", (long) State.REVOKE_CODES, "RECOVERY", (long) State.REVOKE_RECOVERY, "DEVICES",
                        (long) State.REVOKE_DEVICES));
        assertEquals(withPrefix("PCODES_EVENT_"), Map.of("FAILURE_COUNTED", (long) State.EVENT_FAILURE_COUNTED,
                "LOCK_STARTED", (long) State.EVENT_LOCK_STARTED, "BLOCKED", (long) State.EVENT_BLOCKED,
                "CLEARED", (long) State.EVENT_CLEARED, "RECOVERY_USED", (long) State.EVENT_RECOVERY_USED,
                "DEVICE_TRUSTED", (long) State.EVENT_DEVICE_TRUSTED));
    }

    @Test
    void sizesMatchTheHeader() {
        Map<String, Long> java = new TreeMap<>(Map.of(
                "LINK_CODE_BYTES", (long) Link.CODE_BYTES,
                "OTP_CODE_BYTES", (long) Otp.CODE_BYTES,
                "PIN_HASH_BYTES", (long) Pin.HASH_BYTES,
                "STATE_BYTES", (long) State.BYTES,
                "TOTP_CODE_BYTES", (long) Totp.CODE_BYTES,
                "HOTP_CODE_BYTES", (long) Hotp.CODE_BYTES,
                "TOTP_URI_BYTES", (long) Totp.URI_BYTES,
                "TOTP_QR_SVG_BYTES", (long) Totp.QR_SVG_BYTES,
                "TOTP_SECRET_BYTES", (long) Totp.SECRET_BYTES,
                "TOTP_SECRET_MAX_BYTES", (long) Totp.SECRET_MAX_BYTES));
        java.put("PEPPER_MAC_BYTES", (long) Pepper.MAC_BYTES);
        java.put("PIN_GENERATE_BYTES", (long) Pin.GENERATE_BYTES); // Map.of takes at most ten pairs
        java.put("RECOVERY_CODE_BYTES", (long) Recovery.CODE_BYTES);
        java.put("RECOVERY_STORED_BYTES", (long) Recovery.STORED_BYTES);
        java.put("DEVICE_TOKEN_BYTES", (long) Device.TOKEN_BYTES);
        Map<String, Long> header = new TreeMap<>();
        defines.forEach((k, v) -> {
            if (k.endsWith("_BYTES")) {
                header.put(k.substring("PCODES_".length()), v);
            }
        });
        assertEquals(header, java);
    }

    @Test
    void recoveryCountsMatchTheHeader() {
        assertEquals(withPrefix("PCODES_RECOVERY_"), Map.of("CODE_BYTES", (long) Recovery.CODE_BYTES,
                "STORED_BYTES", (long) Recovery.STORED_BYTES, "DEFAULT_COUNT", (long) Recovery.DEFAULT_COUNT,
                "MAX_COUNT", (long) Recovery.MAX_COUNT));
    }

    @Test
    void versionMatchesTheHeader() {
        String want = defines.get("PCODES_VERSION_MAJOR") + "." + defines.get("PCODES_VERSION_MINOR") + "."
                + defines.get("PCODES_VERSION_PATCH");
        assertEquals(want, PortalCodes.version());
        String pom = System.getProperty("pcodes.project.version");
        if (pom != null) {
            assertEquals(want, pom, "pom.xml's version");
        }
    }
}

package ru.portal.codes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;

/**
 * Authenticator apps: the RFC vectors, enrolment (secret, base32, URI and back, SVG QR code), the
 * right code, drift ±1, replay refused, a code from two steps ago refused, a typo, the lock after
 * repeated wrong codes; HOTP.
 */
class TotpTest {
    private static final byte[] SEED = "12345678901234567890123456789012345678901234567890123456789012345"
            .getBytes(StandardCharsets.US_ASCII);
    private static final Algorithm SHA1 = Algorithm.SHA1;

    @Test
    void rfcVectors() {
        // RFC 6238 Appendix B (t = 59, 8 digits) and RFC 4226 Appendix D.
        assertEquals("94287082", Totp.code(Arrays.copyOf(SEED, 20), SHA1, 8, 30, 59));
        assertEquals("46119246", Totp.code(Arrays.copyOf(SEED, 32), Algorithm.SHA256, 8, 30, 59));
        assertEquals("90693936", Totp.code(Arrays.copyOf(SEED, 64), Algorithm.SHA512, 8, 30, 59));
        assertEquals("287082", Hotp.code(Arrays.copyOf(SEED, 20), SHA1, 6, 1));
        expectStatus(Status.INVALID_ARGUMENT, () -> Totp.code(Arrays.copyOf(SEED, 20), SHA1, 9, 30, 59));
        expectStatus(Status.INVALID_ARGUMENT, () -> Hotp.code(Arrays.copyOf(SEED, 20), SHA1, 5, 1));
    }

    @Test
    void enrolment() {
        try (Context ctx = new Context(key(32, 11, 5), 1)) {
            byte[] secret = Totp.secret(ctx, Totp.SECRET_BYTES);
            assertEquals(20, secret.length);
            assertEquals(64, Totp.secret(ctx, Totp.SECRET_MAX_BYTES).length);
            expectStatus(Status.INVALID_ARGUMENT, () -> Totp.secret(ctx, 65));

            String b32 = Base32.encode(secret);
            assertEquals(32, b32.length());
            assertArrayEquals(secret, Base32.decode(b32.toLowerCase()));
            assertEquals("MZXW6YTBOI", Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)));
            assertArrayEquals("foobar".getBytes(StandardCharsets.US_ASCII), Base32.decode("mzxw 6ytb oi======"));
            expectStatus(Status.INVALID_ARGUMENT, () -> Base32.decode("MZXW1"));

            String uri = Totp.uri(secret, "Госуслуги", "ivan@example.ru", SHA1, 6, 30);
            assertTrue(uri.startsWith("otpauth://totp/%D0%93%D0%BE%D1%81"), uri);
            expectStatus(Status.INVALID_ARGUMENT, () -> Totp.uri(secret, "a:b", "c", SHA1, 6, 30));
            Totp.Enrolment e = Totp.uriParse(uri);
            assertFalse(e.hotp());
            assertEquals("Госуслуги", e.issuer());
            assertEquals("ivan@example.ru", e.account());
            assertArrayEquals(secret, e.secret());
            assertEquals(SHA1, e.algorithm());
            assertEquals(6, e.digits());
            assertEquals(30, e.period());
            assertFalse(e.toString().contains(b32));
            expectStatus(Status.INVALID_ARGUMENT,
                    () -> Totp.uriParse("otpauth://totp/Bank:ivan?secret=JBSWY3DPEHPK3PXP&issuer=Evil"));

            Totp.Enrolment h = Totp.uriParse(
                    "otpauth://hotp/Bank:ivan?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256&digits=8&counter=42");
            assertTrue(h.hotp());
            assertEquals(Algorithm.SHA256, h.algorithm());
            assertEquals(8, h.digits());
            assertEquals(42, h.counter());
            assertEquals("Bank", h.issuer());

            String svg = Totp.qrSvg(uri);
            assertTrue(svg.startsWith("<svg ") && svg.endsWith("</svg>\n"), svg.substring(0, 20));
            String big = Totp.qrSvg("x".repeat(400));
            assertTrue(big.length() > 16 * 1024 && big.length() < Totp.QR_SVG_BYTES, "" + big.length());
        }
    }

    @Test
    void verification() {
        try (Context ctx = new Context(key(32, 11, 5), 1)) {
            byte[] s = Totp.secret(ctx, Totp.SECRET_BYTES);
            byte[] state = State.create();
            long t0 = 1_700_000_000L;
            assertEquals(0, Totp.verify(ctx, s, SHA1, 6, 30, Totp.code(s, SHA1, 6, 30, t0), t0, state));
            expectStatus(Status.ALREADY_USED,
                    () -> Totp.verify(ctx, s, SHA1, 6, 30, Totp.code(s, SHA1, 6, 30, t0), t0 + 5, state));
            assertEquals(-1, Totp.verify(ctx, s, SHA1, 6, 30, Totp.code(s, SHA1, 6, 30, t0 + 60), t0 + 90, state));
            assertEquals(1, Totp.verify(ctx, s, SHA1, 6, 30, Totp.code(s, SHA1, 6, 30, t0 + 330), t0 + 300, state));
            expectStatus(Status.WRONG,
                    () -> Totp.verify(ctx, s, SHA1, 6, 30, Totp.code(s, SHA1, 6, 30, t0 + 540), t0 + 600, state));
            expectStatus(Status.MISTYPED, () -> Totp.verify(ctx, s, SHA1, 6, 30, "12 345", t0 + 600, state));

            long t = t0 + 600;
            for (int i = 0; i < 4; i++) {
                long now = ++t;
                char[] guess = Totp.code(s, SHA1, 6, 30, now).toCharArray();
                guess[5] = (char) ('0' + (guess[5] - '0' + 1) % 10);
                expectStatus(Status.WRONG, () -> Totp.verify(ctx, s, SHA1, 6, 30, new String(guess), now, state));
            }
            long locked = t;
            expectStatus(Status.LOCKED,
                    () -> Totp.verify(ctx, s, SHA1, 6, 30, Totp.code(s, SHA1, 6, 30, locked), locked, state));
            long retry = State.retryAt(state, locked).epochSecond();
            assertEquals(locked + 900, retry);
            Totp.verify(ctx, s, SHA1, 6, 30, Totp.code(s, SHA1, 6, 30, retry), retry, state);
        }
    }

    @Test
    void hotp() {
        try (Context ctx = new Context(key(32, 11, 5), 1)) {
            byte[] hotpState = State.create();
            byte[] s20 = Arrays.copyOf(SEED, 20);
            long now = 1_700_000_000L;
            Hotp.verify(ctx, s20, SHA1, 6, "755224", now, hotpState);
            expectStatus(Status.ALREADY_USED, () -> Hotp.verify(ctx, s20, SHA1, 6, "755224", now + 1, hotpState));
            Hotp.verify(ctx, s20, SHA1, 6, Hotp.code(s20, SHA1, 6, 5), now + 2, hotpState);
            // The counter of the accepted code (RFC 4226 appendix D: 9 is 520489).
            assertEquals(9L, Hotp.verify(ctx, s20, SHA1, 6, "520489", now + 2, hotpState));
            expectStatus(Status.ALREADY_USED, () -> Hotp.verify(ctx, s20, SHA1, 6, "520489", now + 2, hotpState));
            assertEquals(0L, Hotp.verify(ctx, s20, SHA1, 6, "755224", now, State.create()));
            assertEquals(9, Hotp.CODE_BYTES);
            // A HOTP blob is refused by TOTP.
            expectStatus(Status.CORRUPT_STATE,
                    () -> Totp.verify(ctx, s20, SHA1, 6, 30, "123456", now + 3, hotpState));
        }
    }
}

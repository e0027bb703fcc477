package ru.portal.codes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;

/** The context: keys, settings, first use, close (the threads are in {@link ContextThreadsTest}). */
class ContextTest {
    /**
     * Issue 20: a context never closed kept its key material until the process exited. Now a
     * Cleaner frees it once it is unreachable; closing (twice) still frees it once, by close.
     */
    @Test
    void anUnclosedContextIsFreedByTheCleaner() throws InterruptedException {
        long before = Context.FREED_UNCLOSED.get();
        for (int i = 0; i < 20; i++) {
            new Context(key(0x60 + i), 1).get(Setting.OTP_DIGITS); // never closed
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Context.FREED_UNCLOSED.get() == before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(Context.FREED_UNCLOSED.get() > before, "no unclosed context was freed");
        Context closed = new Context(key(0x7f), 1);
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.get(Setting.OTP_DIGITS));
    }

    /**
     * Issue 20 §5: values that emptied the guess limits are refused when the context is
     * configured (HOTP_LOOK_AHEAD = 1000 made 15 guesses worth ~1.5 %; BLOCK_AFTER_FAILURES =
     * LOCK_AFTER_FAILURES = 1000 took the block away), and at the largest allowed values the
     * documented limits hold (docs/security.md: at most 20 guesses a run, 21 codes a guess).
     */
    @Test
    void settingsCannotEmptyTheGuessLimits() {
        try (Context ctx = new Context(key(0x12), 1)) {
            for (Setting s : new Setting[] {Setting.HOTP_LOOK_AHEAD, Setting.BLOCK_AFTER_FAILURES,
                    Setting.LOCK_AFTER_FAILURES}) {
                expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(s, 1000));
                expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(s, 21));
                assertEquals(s.defaultValue(), ctx.get(s), "a refused set changes nothing: " + s);
            }
            assertEquals(20, Setting.BLOCK_AFTER_FAILURES.max());
            assertTrue(Setting.LOCK_AFTER_FAILURES.max() <= 20);
            assertTrue(2 * Setting.TOTP_WINDOW_STEPS.max() + 1 <= 21);
            assertTrue(Setting.HOTP_LOOK_AHEAD.max() + 1 <= 21);
            // At the largest look-ahead, the 21st counter past a fresh blob's is out of reach.
            ctx.set(Setting.HOTP_LOOK_AHEAD, Setting.HOTP_LOOK_AHEAD.max());
            byte[] secret = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.util.Set<String> window = new java.util.HashSet<>();
            for (long k = 0; k < 21; k++) {
                window.add(Hotp.code(secret, Algorithm.SHA1, 6, k));
            }
            int beyond = 0;
            for (long k = 21; k < 60; k++) {
                String code = Hotp.code(secret, Algorithm.SHA1, 6, k);
                if (!window.contains(code)) {
                    expectStatus(Status.WRONG, () -> Hotp.verify(ctx, secret, Algorithm.SHA1, 6, code, 1_750_000_000L,
                            new byte[State.BYTES]));
                    beyond++;
                }
            }
            assertTrue(beyond > 30, "counters checked: " + beyond);
        }
    }

    @Test
    void refusesAShortKey() {
        expectStatus(Status.BAD_KEY, () -> new Context(new byte[31], 1).close());
        expectStatus(Status.BAD_KEY, () -> new Context(new byte[32], 16).close());
    }

    @Test
    void addsAVerifyOnlyKeyOnce() {
        try (Context ctx = new Context(key(32, 7, 1), 1)) {
            ctx.addKey(key(48, 3, 2), 0);
            expectStatus(Status.INVALID_ARGUMENT, () -> ctx.addKey(key(48, 3, 2), 0));
            expectStatus(Status.BAD_KEY, () -> ctx.addKey(new byte[8], 2));
        }
    }

    @Test
    void setsAndReadsBackEverySetting() {
        try (Context ctx = new Context(key(0x11), 1)) {
            for (Setting s : Setting.values()) {
                assertEquals(s.defaultValue(), ctx.get(s), s.name());
                ctx.set(s, s.max());
                assertEquals(s.max(), ctx.get(s), s.name());
                expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(s, s.max() + 1));
                assertEquals(s.max(), ctx.get(s), "a refused set changes nothing: " + s);
            }
        }
    }

    @Test
    void firstUseFixesKeysAndSettings() {
        try (Context ctx = new Context(key(0x12), 1)) {
            ctx.set(Setting.OTP_DIGITS, 8);
            Totp.secret(ctx, Totp.SECRET_BYTES);
            expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(Setting.OTP_DIGITS, 6));
            expectStatus(Status.INVALID_ARGUMENT, () -> ctx.addKey(new byte[32], 2));
            assertEquals(8, ctx.get(Setting.OTP_DIGITS));
        }
    }

    @Test
    void closeTwiceIsSafeAndUseAfterCloseThrows() {
        Context ctx = new Context(key(0x13), 1);
        assertFalse(ctx.isClosed());
        ctx.close();
        assertDoesNotThrow(ctx::close);
        assertTrue(ctx.isClosed());
        assertThrows(IllegalStateException.class, () -> ctx.get(Setting.OTP_DIGITS));
        assertThrows(IllegalStateException.class, () -> ctx.set(Setting.OTP_DIGITS, 6));
        assertThrows(IllegalStateException.class, () -> ctx.addKey(key(0x14), 2));
        assertThrows(IllegalStateException.class, () -> Otp.issue(ctx, "login", 1_700_000_000L, State.create()));
        assertThrows(IllegalStateException.class, () -> Pin.checkReason(ctx, "385027", "385027", null));
    }

    @Test
    void versionAndClock() {
        assertTrue(PortalCodes.version().matches("\\d+\\.\\d+\\.\\d+"), PortalCodes.version());
        long now = PortalCodes.now();
        assertTrue(now > 1_700_000_000L && now < 253_402_300_799L, Long.toString(now));
    }
}

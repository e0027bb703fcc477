package ru.portal.codes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;
import static ru.portal.codes.Fixtures.outcome;

/**
 * SMS/e-mail codes, the full life of a code: issue, resend too soon, resend later (the first code
 * superseded), a typo, wrong tries until the code is exhausted, expiry, success, reuse refused, a
 * code for another purpose refused.
 */
class OtpTest {
    private static final long T0 = 1_700_000_000L;

    private static String otherThan(String a, String b) {
        for (int v = 0;; v++) {
            String s = String.format("%06d", v);
            if (!s.equals(a) && !s.equals(b)) {
                return s;
            }
        }
    }

    private static String issue(Context ctx, String purpose, long at, byte[] state) {
        String code = Otp.issue(ctx, purpose, T0 + at, state);
        assertTrue(code.matches("\\d{6}"), code);
        return code;
    }

    private static Status verify(Context ctx, String purpose, String code, long at, byte[] state) {
        return outcome(() -> Otp.verify(ctx, purpose, code, T0 + at, state));
    }

    @Test
    void theLifeOfACode() {
        try (Context ctx = new Context(key(32, 5, 3), 1)) {
            assertEquals(9, Otp.CODE_BYTES);
            byte[] state = State.create();
            assertEquals(Status.NO_CHALLENGE, verify(ctx, "login", "123456", 0, state));
            String first = issue(ctx, "login", 0, state);
            assertEquals(T0 + 60, State.retryAt(state, T0).epochSecond());
            expectStatus(Status.TOO_SOON, () -> Otp.issue(ctx, "login", T0 + 20, state));
            assertEquals(T0 + 60, State.retryAt(state, T0 + 20).epochSecond());

            String second = issue(ctx, "login", 75, state);
            if (!first.equals(second)) { // equal with probability 1e-6
                assertEquals(Status.SUPERSEDED, verify(ctx, "login", first, 80, state));
            }
            assertEquals(Status.MISTYPED, verify(ctx, "login", second.substring(1), 85, state));
            String wrong = otherThan(first, second);
            for (long at : new long[] {90, 95, 100}) {
                assertEquals(Status.WRONG, verify(ctx, "login", wrong, at, state));
            }
            assertEquals(Status.ATTEMPTS_EXHAUSTED, verify(ctx, "login", second, 105, state));

            String third = issue(ctx, "login", 140, state);
            assertEquals(Status.EXPIRED, verify(ctx, "login", third, 440, state));

            String fourth = issue(ctx, "login", 500, state);
            String spaced = fourth.substring(0, 3) + " " + fourth.substring(3);
            assertEquals(Status.OK, verify(ctx, "login", spaced, 520, state));
            assertEquals(Status.ALREADY_USED, verify(ctx, "login", fourth, 521, state));

            byte[] phone = State.create();
            String pc = issue(ctx, "phone-change:+79990001122", 600, phone);
            assertEquals(Status.WRONG, verify(ctx, "login", pc, 610, phone));
            assertEquals(Status.OK, verify(ctx, "phone-change:+79990001122", pc, 611, phone));
        }
    }

    @Test
    void refusedCallsLeaveTheBlobAlone() {
        try (Context ctx = new Context(key(32, 5, 3), 1)) {
            byte[] state = State.create();
            issue(ctx, "login", 0, state);
            byte[] copy = state.clone();
            expectStatus(Status.CORRUPT_STATE, () -> Otp.verify(ctx, "login", "123456", T0, new byte[63]));
            expectStatus(Status.INVALID_ARGUMENT, () -> Otp.issue(ctx, "", T0 + 900, state));
            assertArrayEquals(copy, state);
        }
    }

    @Test
    void digitsFollowTheSetting() {
        try (Context ctx = new Context(key(32, 5, 3), 1)) {
            ctx.set(Setting.OTP_DIGITS, 8);
            assertTrue(Otp.issue(ctx, "login", T0, State.create()).matches("\\d{8}"));
        }
    }
}

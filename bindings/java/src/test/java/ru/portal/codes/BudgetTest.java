package ru.portal.codes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;

/**
 * Failures that fade and the guess budget through JNA (issue 22 §2): the three settings, a run
 * that fades at exactly {@code FAILURE_RESET_SECONDS} after its last failure, and a budget that a
 * success does not renew. HOTP is the flow; the engine is the same for every flow.
 */
class BudgetTest {
    private static final long T0 = 1_780_000_000L;
    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private static void hotp(Context ctx, String code, long now, byte[] state) {
        Hotp.verify(ctx, SECRET, Algorithm.SHA1, 6, code, now, state);
    }

    @Test
    void theSettings() {
        assertEquals(86_400, Setting.FAILURE_RESET_SECONDS.defaultValue());
        assertEquals(0, Setting.FAILURE_RESET_SECONDS.min());
        assertEquals(36, Setting.BUDGET_GUESSES.defaultValue());
        assertEquals(2, Setting.BUDGET_GUESSES.min());
        assertEquals(518_400, Setting.BUDGET_DRAIN_SECONDS.min());
        // The yearly bound at the extremes: capacity + ceil(365 days / fastest drain) <= 100.
        long perYear = Setting.BUDGET_GUESSES.max() + (365L * 86_400 + Setting.BUDGET_DRAIN_SECONDS.min() - 1)
                / Setting.BUDGET_DRAIN_SECONDS.min();
        assertTrue(perYear <= 100, "per year: " + perYear);
        try (Context ctx = new Context(Fixtures.key(0x52), 1)) {
            expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(Setting.BUDGET_GUESSES, 37));
            expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(Setting.BUDGET_GUESSES, 1));
            expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(Setting.BUDGET_DRAIN_SECONDS, 518_399));
            expectStatus(Status.INVALID_ARGUMENT,
                    () -> ctx.set(Setting.FAILURE_RESET_SECONDS, Setting.FAILURE_RESET_SECONDS.max() + 1));
            ctx.set(Setting.FAILURE_RESET_SECONDS, 0);
            assertEquals(0, ctx.get(Setting.FAILURE_RESET_SECONDS));
        }
    }

    @Test
    void aRunFadesAtItsBoundarySecond() {
        try (Context ctx = new Context(Fixtures.key(0x53), 1)) {
            byte[] state = State.create();
            for (int i = 0; i < 4; i++) {
                final long t = T0 + i;
                expectStatus(Status.WRONG, () -> hotp(ctx, "000000", t, state));
            }
            long fade = T0 + 3 + 86_400;
            byte[] early = state.clone();
            expectStatus(Status.WRONG, () -> hotp(ctx, "000000", fade - 1, early));
            assertEquals(fade - 1 + 900, State.retryAt(early, fade - 1).epochSecond(), "the fifth: locked");
            byte[] at = state.clone();
            expectStatus(Status.WRONG, () -> hotp(ctx, "000000", fade, at));
            assertTrue(State.retryAt(at, fade).isFree(), "faded: a new run");
        }
    }

    @Test
    void aSuccessDoesNotRenewTheBudget() {
        try (Context ctx = new Context(Fixtures.key(0x54), 1)) {
            ctx.set(Setting.FAILURE_RESET_SECONDS, 1).set(Setting.BUDGET_GUESSES, 2);
            long drain = ctx.get(Setting.BUDGET_DRAIN_SECONDS);
            byte[] state = State.create();
            expectStatus(Status.WRONG, () -> hotp(ctx, "000000", T0, state));
            hotp(ctx, "755224", T0 + 5, state); // RFC 4226 counter 0
            expectStatus(Status.WRONG, () -> hotp(ctx, "000000", T0 + 10, state));
            assertEquals(T0 + drain, State.retryAt(state, T0 + 10).epochSecond());
            expectStatus(Status.LOCKED, () -> hotp(ctx, "287082", T0 + drain - 1, state));
            hotp(ctx, "287082", T0 + drain, state); // counter 1: one guess has drained
        }
    }
}

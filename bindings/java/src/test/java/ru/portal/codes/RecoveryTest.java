package ru.portal.codes;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;
import static ru.portal.codes.Fixtures.outcome;

/**
 * Recovery codes: a set generated, each code used once (typed in lower case, without dashes),
 * a typo, another account's attempt (counted), a wrong code until the lock, regeneration (the
 * old set dead, an old string refused).
 */
class RecoveryTest {
    private static final long T0 = 1_700_000_000L;

    @Test
    void theLifeOfASet() {
        try (Context ctx = new Context(key(32, 7, 1), 2)) {
            assertEquals(15, Recovery.CODE_BYTES);
            assertEquals(256, Recovery.STORED_BYTES);
            byte[] state = State.create();
            assertEquals(0, Recovery.remaining(state));
            Recovery.Generated set = Recovery.generate(ctx, "acct-1", Recovery.DEFAULT_COUNT, state);
            List<String> codes = set.codes();
            assertEquals(10, codes.size());
            assertEquals(10, new HashSet<>(codes).size());
            for (String c : codes) {
                assertTrue(c.matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"), c);
                assertFalse(set.stored().contains(c.replace("-", "")), "the string holds no code");
            }
            assertTrue(set.stored().startsWith("$pcodes-recovery$v=1,k=2,n=10$"), set.stored());
            assertFalse(set.toString().contains(codes.get(0)));
            assertEquals(10, Recovery.remaining(state));

            String stored = set.stored();
            String typed = codes.get(4).toLowerCase().replace("-", "");
            assertEquals(9, Recovery.verify(ctx, "acct-1", stored, typed, T0, state));
            assertEquals(Status.ALREADY_USED, outcome(() -> Recovery.verify(ctx, "acct-1", stored, codes.get(4), T0, state)));
            String typo = (codes.get(5).charAt(0) == 'X' ? "Y" : "X") + codes.get(5).substring(1);
            assertEquals(Status.MISTYPED, outcome(() -> Recovery.verify(ctx, "acct-1", stored, typo, T0, state)));
            assertEquals(Status.WRONG, outcome(() -> Recovery.verify(ctx, "acct-2", stored, codes.get(5), T0, state)));
            for (int i = 0; i < 4; i++) {
                assertEquals(Status.WRONG, outcome(() -> Recovery.verify(ctx, "acct-1", stored, "0000-0000-0000", T0, state)));
            }
            assertEquals(Status.LOCKED, outcome(() -> Recovery.verify(ctx, "acct-1", stored, codes.get(5), T0, state)));
            assertEquals(T0 + 900, State.retryAt(state, T0).epochSecond());
            assertEquals(8, Recovery.verify(ctx, "acct-1", stored, codes.get(5), T0 + 900, state));
            assertEquals(8, Recovery.remaining(state));

            Recovery.Generated next = Recovery.generate(ctx, "acct-1", 3, state);
            assertEquals(3, next.codes().size());
            assertEquals(Status.SUPERSEDED, outcome(() -> Recovery.verify(ctx, "acct-1", stored, codes.get(6), T0 + 901, state)));
            assertEquals(Status.WRONG, outcome(() -> Recovery.verify(ctx, "acct-1", next.stored(), codes.get(6), T0 + 901, state)));
            assertEquals(2, Recovery.verify(ctx, "acct-1", next.stored(), next.codes().get(2), T0 + 902, state));
        }
    }

    @Test
    void refusals() {
        try (Context ctx = new Context(key(32, 7, 1), 2)) {
            byte[] state = State.create();
            expectStatus(Status.INVALID_ARGUMENT, () -> Recovery.generate(ctx, "acct-1", 0, state));
            expectStatus(Status.INVALID_ARGUMENT, () -> Recovery.generate(ctx, "acct-1", 17, state));
            expectStatus(Status.INVALID_ARGUMENT, () -> Recovery.generate(ctx, "", 3, state));
            expectStatus(Status.MALFORMED_HASH, () -> Recovery.verify(ctx, "acct-1", "$pcodes-recovery$", "0000-0000-0000", T0, state));
            expectStatus(Status.CORRUPT_STATE, () -> Recovery.remaining(new byte[63]));
            String stored = Recovery.generate(ctx, "acct-1", 1, state).stored();
            try (Context other = new Context(key(32, 9, 1), 3)) {
                expectStatus(Status.UNKNOWN_KEY, () -> Recovery.verify(other, "acct-1", stored, "0000-0000-0000", T0, state));
            }
            assertEquals(Status.NO_CHALLENGE, outcome(() -> Recovery.verify(ctx, "acct-1", stored, "0000-0000-0000", T0, State.create())));
        }
    }
}

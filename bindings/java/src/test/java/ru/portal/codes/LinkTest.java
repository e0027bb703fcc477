package ru.portal.codes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;

/**
 * Link codes: issue, parse and redeem a child's code, and every verdict with a real scenario
 * (typo, wrong code, forged code, edited name, re-issued code, second redeem, 11 minutes later,
 * rotated key, missing SNILS, lockout).
 */
class LinkTest {
    private static final long RECORD = 4_815_162_342L;
    private static final long NOW = 1_700_000_000L;
    private static final Link.Child IVAN = new Link.Child("Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95");
    private static final Link.Child IVAN_TYPED =
            new Link.Child("  ИВАНОВ иван  иванович ", "2015-03-08", "m", "11223344595");
    private static final Link.Child EDITED =
            new Link.Child("Иванов Иван Петрович", "2015-03-08", "М", "112-233-445 95");
    private static final Link.Child PETYA = new Link.Child("Петров Пётр Петрович", "2014-01-01", "M", "087-654-303 00");
    private static final Link.Child NO_SNILS = new Link.Child("Иванов Иван Иванович", "2015-03-08", "М", null);

    /** {@code code} with its first two different neighbouring characters swapped. */
    private static String typo(String code) {
        char[] t = code.toCharArray();
        int i = 0;
        while (t[i] == t[i + 1] || t[i + 1] == '-') {
            i++;
        }
        char x = t[i];
        t[i] = t[i + 1];
        t[i + 1] = x;
        return new String(t);
    }

    @Test
    void childCheck() {
        assertEquals(Link.FIELD_SNILS, Link.childCheck(NO_SNILS));
        assertEquals(0, Link.childCheck(IVAN));
        assertEquals(Link.FIELD_FULL_NAME | Link.FIELD_BIRTH_DATE | Link.FIELD_SEX | Link.FIELD_SNILS,
                Link.childCheck(new Link.Child(" ", null, "", null)));
        assertFalse(IVAN.toString().contains("Иван"), IVAN.toString());
        try (Context ctx = new Context(key(0x17), 1)) {
            expectStatus(Status.MISSING_FIELD, () -> Link.issue(ctx, RECORD, NO_SNILS, NOW, State.create()));
            expectStatus(Status.INVALID_SNILS, () -> Link.issue(ctx, RECORD,
                    new Link.Child("Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 96"), NOW, State.create()));
        }
    }

    @Test
    void everyVerdict() {
        try (Context ctx = new Context(key(0x17), 1);
                Context attacker = new Context(key(0x66), 1);
                Context rotated = new Context(key(0x42), 2).addKey(key(0x17), 1);
                Context newOnly = new Context(key(0x42), 2)) {
            assertEquals(30, Link.CODE_BYTES);
            byte[] state = State.create();
            expectStatus(Status.NO_CHALLENGE, () -> Link.redeem(ctx, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", IVAN, NOW,
                    State.create()));
            String code = Link.issue(ctx, RECORD, IVAN, NOW, state);
            assertTrue(code.matches("[0-9A-Z]{5}(-[0-9A-Z]{5}){4}"), code);
            byte[] issued = state.clone();

            String typed = code.toLowerCase().replace('-', ' ');
            assertEquals(RECORD, Link.parse(typed));
            String typo = typo(code);
            expectStatus(Status.MISTYPED, () -> Link.parse(typo));
            expectStatus(Status.MISTYPED, () -> Link.redeem(ctx, typo, IVAN, NOW, state));
            assertEquals(0, State.retryAt(state, NOW).epochSecond(), "typos do not count");

            String wrong = Link.issue(ctx, RECORD, PETYA, NOW, State.create());
            expectStatus(Status.WRONG, () -> Link.redeem(ctx, wrong, IVAN, NOW, state));
            String forged = Link.issue(attacker, RECORD, IVAN, NOW, State.create());
            expectStatus(Status.WRONG, () -> Link.redeem(ctx, forged, IVAN, NOW, state));
            // On a copy: a redeem that sees changed data kills the code for good.
            byte[] whatIf = state.clone();
            expectStatus(Status.DATA_CHANGED, () -> Link.redeem(ctx, code, EDITED, NOW + 30, whatIf));
            expectStatus(Status.DATA_CHANGED, () -> Link.redeem(ctx, code, IVAN, NOW + 31, whatIf));
            Link.redeem(ctx, typed, IVAN_TYPED, NOW + 60, state);
            expectStatus(Status.ALREADY_USED, () -> Link.redeem(ctx, code, IVAN, NOW + 90, state));

            expectStatus(Status.EXPIRED, () -> Link.redeem(ctx, code, IVAN, NOW + 11 * 60, issued.clone()));

            byte[] reissued = issued.clone();
            String newer = Link.issue(ctx, RECORD, IVAN, NOW + 120, reissued);
            assertNotEquals(code, newer);
            expectStatus(Status.SUPERSEDED, () -> Link.redeem(ctx, code, IVAN, NOW + 130, reissued));
            Link.redeem(ctx, newer, IVAN, NOW + 130, reissued);

            byte[] rot = issued.clone();
            expectStatus(Status.UNKNOWN_KEY, () -> Link.redeem(newOnly, code, IVAN, NOW + 60, rot));
            Link.redeem(rotated, code, IVAN, NOW + 60, rot);

            byte[] attacked = issued.clone();
            for (int k = 0; k < 5; k++) {
                expectStatus(Status.WRONG, () -> Link.redeem(ctx, wrong, IVAN, NOW, attacked));
            }
            expectStatus(Status.LOCKED, () -> Link.redeem(ctx, wrong, IVAN, NOW + 1, attacked));
            assertEquals(NOW + 900, State.retryAt(attacked, NOW + 1).epochSecond());
            // The lock is the forged codes': the real code is still redeemed, the lock stays.
            Link.redeem(ctx, code, IVAN, NOW + 1, attacked);
            assertEquals(NOW + 900, State.retryAt(attacked, NOW + 1).epochSecond());

            PortalCodesException e = expectStatus(Status.MISTYPED, () -> Link.redeem(ctx, typo, IVAN, NOW, state));
            assertEquals("Похоже, в коде опечатка.", e.userMessage("ru").substring(0, 24));
        }
    }

    /**
     * Issue 22 §3: fifteen forged codes for the record (waiting out both locks) block forged
     * codes only; after a new issue (which does not clear the block) the parent's real code
     * redeems on the blocked record, once, and the block stays.
     */
    @Test
    void forgedCodesDoNotBlockTheRealCode() {
        try (Context ctx = new Context(key(0x17), 1); Context attacker = new Context(key(0x66), 1)) {
            byte[] state = State.create();
            Link.issue(ctx, RECORD, IVAN, NOW, state);
            long now = NOW;
            String forged = null;
            for (int i = 1; i <= 15; i++) {
                String f = Link.issue(attacker, RECORD, IVAN, now, State.create());
                forged = f;
                long t = ++now;
                expectStatus(Status.WRONG, () -> Link.redeem(ctx, f, IVAN, t, state));
                if (i == 5 || i == 10) {
                    expectStatus(Status.LOCKED, () -> Link.redeem(ctx, f, IVAN, t, state));
                    now = State.retryAt(state, now).epochSecond();
                }
            }
            String last = forged;
            long t = now + 60;
            expectStatus(Status.BLOCKED, () -> Link.redeem(ctx, last, IVAN, t, state));
            String code = Link.issue(ctx, RECORD, IVAN, t, state);
            expectStatus(Status.BLOCKED, () -> Link.redeem(ctx, last, IVAN, t + 1, state));
            Link.redeem(ctx, code, IVAN, t + 2, state);
            assertTrue(State.retryAt(state, t + 2).isBlocked(), "the block is the forgers' and stays");
            expectStatus(Status.ALREADY_USED, () -> Link.redeem(ctx, code, IVAN, t + 3, state));
            expectStatus(Status.BLOCKED, () -> Link.redeem(ctx, last, IVAN, t + 3, state));
        }
    }
}

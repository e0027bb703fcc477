package ru.portal.codes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;
import static ru.portal.codes.Fixtures.outcome;

/**
 * PINs: policy refusals with reasons, hash then verify, wrong PIN, lockout with the retry time, a
 * copied hash, an unknown account (the dummy verification), two-phase verification, and a
 * rotated pepper key that still verifies and asks for a rehash, and generated PINs. 10,000
 * iterations for speed.
 */
class PinTest {
    private static final String BIRTH = "1987-05-25";
    private static Context ctx;
    private static String stored;

    @BeforeAll
    static void setUp() {
        ctx = new Context(key(0x42), 2);
        ctx.set(Setting.PIN_ITERATIONS, 10_000);
        stored = Pin.hash(ctx, "account-1001", "385027");
    }

    @AfterAll
    static void tearDown() {
        ctx.close();
    }

    @Test
    void checkReasonGivesTheVerdictAndWhy() {
        String[][] cases = {
            {"12a4", "12a4", "PIN_FORMAT", "NONE"},
            {"3861", "3816", "PIN_MISMATCH", "NONE"},
            {"0000", "0000", "PIN_WEAK", "REPEATED_DIGIT"},
            {"2580", "2580", "PIN_WEAK", "KEYPAD_LINE"},
            {"250587", "250587", "PIN_WEAK", "BIRTH_DATE"},
            {"1325", "1325", "PIN_WEAK", "BLOCKLIST"},
            {"385027", "385027", "OK", "NONE"},
        };
        for (String[] k : cases) {
            Pin.Review r = Pin.checkReason(ctx, k[0], k[1], BIRTH);
            assertEquals(Status.valueOf(k[2]), r.status(), k[0]);
            assertEquals(Pin.Weakness.valueOf(k[3]), r.reason(), k[0]);
            assertEquals(k[2].equals("OK"), r.accepted());
        }
        assertEquals("KEYPAD_LINE", Pin.weaknessName(Pin.Weakness.KEYPAD_LINE));
        assertEquals(Pin.Weakness.UNKNOWN, Pin.Weakness.of(99));
    }

    @Test
    void checkThrows() {
        expectStatus(Status.PIN_WEAK, () -> Pin.check(ctx, "1234", "1234", null));
        expectStatus(Status.INVALID_BIRTH_DATE, () -> Pin.check(ctx, "385027", "385027", "1987-13-40"));
        Pin.check(ctx, "385027", "385027", BIRTH);
    }

    @Test
    void hashFormat() {
        assertTrue(stored.startsWith("$pcodes-pin$v=2,k=2,l=3,i=3334,n=6$"), stored);
        assertTrue(stored.length() < Pin.HASH_BYTES);
        expectStatus(Status.PIN_FORMAT, () -> Pin.hash(ctx, "account-1001", "12a4"));
    }

    @Test
    void verifyCountsAndLocks() {
        byte[] state = State.create();
        long now = 1_700_000_000L;
        Pin.verify(ctx, "account-1001", "385027", stored, now, state);
        expectStatus(Status.WRONG, () -> Pin.verify(ctx, "account-1001", "111111", stored, now, state));
        for (int i = 1; i < 5; i++) {
            final long t = now + i;
            expectStatus(Status.WRONG, () -> Pin.verify(ctx, "account-1001", "000000", stored, t, state));
        }
        expectStatus(Status.LOCKED, () -> Pin.verify(ctx, "account-1001", "385027", stored, now + 5, state));
        long retry = State.retryAt(state, now + 5).epochSecond();
        assertEquals(now + 904, retry);
        Pin.verify(ctx, "account-1001", "385027", stored, retry, state);
    }

    @Test
    void aCopiedHashAndAnUnknownAccount() {
        long now = 1_700_000_000L;
        assertEquals(Status.WRONG, outcome(() -> Pin.verify(ctx, "account-2002", "385027", stored, now,
                State.create())));
        // stored == null: the dummy verification, counting and locking like a real account.
        byte[] nobody = State.create();
        for (int i = 0; i < 5; i++) {
            final long t = now + i;
            expectStatus(Status.WRONG, () -> Pin.verify(ctx, "nobody", "385027", null, t, nobody));
        }
        expectStatus(Status.LOCKED, () -> Pin.verify(ctx, "nobody", "385027", null, now + 5, nobody));
        expectStatus(Status.NULL_ARGUMENT, () -> Pin.verify(ctx, "nobody", "385027", null, now, null));
    }

    @Test
    void twoPhases() {
        long now = 1_700_000_000L;
        byte[] blob = State.create();
        expectStatus(Status.NO_CHALLENGE, () -> Pin.verifyFinish(ctx, "account-1001", "385027", stored, now, blob));
        Pin.verifyBegin(ctx, "account-1001", "385027", stored, now, blob);
        // (the host stores blob with compare-and-swap here)
        Pin.verifyFinish(ctx, "account-1001", "385027", stored, now, blob);
        assertEquals(0, State.retryAt(blob, now).epochSecond());

        Pin.verifyBegin(ctx, "account-1001", "000001", stored, now, blob);
        boolean matched = Pin.verifyCompute(ctx, "account-1001", "000001", stored);
        assertFalse(matched);
        byte[] reread = blob.clone(); // as if the first compare-and-swap lost a race
        expectStatus(Status.WRONG, () -> Pin.verifyApply(matched, now, blob));
        expectStatus(Status.WRONG, () -> Pin.verifyApply(matched, now, reread));

        byte[] good = State.create();
        Pin.verifyBegin(ctx, "account-1001", "385027", stored, now, good);
        assertTrue(Pin.verifyCompute(ctx, "account-1001", "385027", stored));
        Pin.verifyApply(true, now, good);
        expectStatus(Status.NO_CHALLENGE, () -> Pin.verifyApply(true, now, State.create()));
    }

    /** The lost-race protocol for an unknown account: the same answers and blob as one call. */
    @Test
    void twoPhasesForAnUnknownAccount() {
        long now = 1_700_000_000L;
        byte[] blob = State.create();
        Pin.verifyBegin(ctx, "nobody", "385027", null, now, blob);
        boolean matched = Pin.verifyCompute(ctx, "nobody", "385027", null);
        assertFalse(matched);
        expectStatus(Status.WRONG, () -> Pin.verifyApply(matched, now, blob));
        byte[] one = State.create();
        expectStatus(Status.WRONG, () -> Pin.verify(ctx, "nobody", "385027", null, now, one));
        assertArrayEquals(one, blob);
    }

    /**
     * Issue 23: {@code v=2} strings with {@link Setting#PIN_LANES} lanes of
     * ceil(PIN_ITERATIONS / lanes) iterations each verify and need no rehash until the lanes
     * change; a {@code v=1} string an earlier release wrote ({@code tests/data/v2_blobs.txt})
     * still verifies and asks for a rehash.
     */
    @Test
    void lanesAndEarlierReleasesStrings() {
        long now = 1_700_000_000L;
        for (int lanes = 1; lanes <= 4; lanes++) {
            try (Context c = new Context(key(0x42), 2)) {
                c.set(Setting.PIN_ITERATIONS, 10_000);
                c.set(Setting.PIN_LANES, lanes);
                String h = Pin.hash(c, "account-1001", "385027");
                int perLane = (10_000 + lanes - 1) / lanes;
                assertTrue(h.startsWith("$pcodes-pin$v=2,k=2,l=" + lanes + ",i=" + perLane + ",n=6$"), h);
                Pin.verify(c, "account-1001", "385027", h, now, State.create());
                expectStatus(Status.WRONG, () -> Pin.verify(c, "account-1001", "385028", h, now, State.create()));
                assertFalse(Pin.needsRehash(c, h));
                assertEquals(lanes != 3, Pin.needsRehash(ctx, h), h);
                Pin.verify(ctx, "account-1001", "385027", h, now, State.create());
            }
        }
        String v1 = "$pcodes-pin$v=1,k=2,i=10000,n=4$Aj83IDokdsQlZqYcxVw8qA$LI28S25RwgVa/3WCEUArh6Ac1KpZEhdUrZCMpf2c+74";
        Pin.verify(ctx, "alice", "4826", v1, now, State.create());
        expectStatus(Status.WRONG, () -> Pin.verify(ctx, "alice", "1357", v1, now, State.create()));
        assertTrue(Pin.needsRehash(ctx, v1));
    }

    @Test
    void rotatedKeyVerifiesAndAsksForARehash() {
        long now = 1_700_000_000L;
        try (Context rotated = new Context(key(0x99), 3)) {
            rotated.addKey(key(0x42), 2);
            rotated.set(Setting.PIN_ITERATIONS, 10_000);
            Pin.verify(rotated, "account-1001", "385027", stored, now, State.create());
            assertTrue(Pin.needsRehash(rotated, stored));
            String fresh = Pin.hash(rotated, "account-1001", "385027");
            assertFalse(Pin.needsRehash(rotated, fresh));
            expectStatus(Status.MALFORMED_HASH, () -> Pin.needsRehash(rotated, "$pcodes-pin$x"));
        }
        try (Context newOnly = new Context(key(0x99), 3)) {
            expectStatus(Status.UNKNOWN_KEY, () -> Pin.verify(newOnly, "account-1001", "385027", stored, now,
                    State.create()));
        }
    }

    /** Generated PINs of both lengths, with and without a birth date, pass the check. */
    @Test
    void generatedPinsPassTheCheck() {
        assertEquals(7, Pin.GENERATE_BYTES);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int length : new int[] {4, 6}) {
            for (String birth : new String[] {null, BIRTH}) {
                for (int i = 0; i < 300; i++) {
                    String pin = Pin.generate(ctx, length, birth);
                    assertEquals(length, pin.length(), pin);
                    assertTrue(pin.chars().allMatch(c -> c >= '0' && c <= '9'), pin);
                    assertEquals(Status.OK, Pin.checkReason(ctx, pin, pin, birth).status(), pin);
                    seen.add(pin);
                }
            }
        }
        // 1,200 draws from about 8,900 + 892,000 PINs: nearly all distinct (not a constant).
        assertTrue(seen.size() > 1_000, "only " + seen.size() + " distinct PINs");
        String pin = Pin.generate(ctx, 6, BIRTH);
        String h = Pin.hash(ctx, "account-3003", pin);
        Pin.verify(ctx, "account-3003", pin, h, 1_700_000_000L, State.create());
    }

    @Test
    void generateRefusals() {
        for (int bad : new int[] {0, 3, 5, 7, -1}) {
            PortalCodesException e = expectStatus(Status.INVALID_ARGUMENT, () -> Pin.generate(ctx, bad, null));
            assertEquals("length: must be 4 or 6", e.detail());
        }
        expectStatus(Status.INVALID_BIRTH_DATE, () -> Pin.generate(ctx, 4, "1987-02-30"));
        expectStatus(Status.INVALID_BIRTH_DATE, () -> Pin.generate(ctx, 6, ""));
        expectStatus(Status.INVALID_ARGUMENT, () -> Pin.generate(ctx, 6, "1987-05-25\0"));
        try (Context only6 = new Context(key(0x42), 2)) {
            only6.set(Setting.PIN_LENGTHS, 1 << 6);
            PortalCodesException e = expectStatus(Status.INVALID_ARGUMENT, () -> Pin.generate(only6, 4, null));
            assertEquals("length: not allowed by PCODES_SETTING_PIN_LENGTHS", e.detail());
            assertEquals(6, Pin.generate(only6, 6, null).length());
        }
        Context closed = new Context(key(0x42), 2);
        closed.close();
        assertThrows(IllegalStateException.class, () -> Pin.generate(closed, 4, null));
    }
}

package ru.portal.codes;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;

/** {@code pcodes_state_*}: a fresh blob, and blobs that are not one. */
class StateTest {
    @Test
    void freshBlob() {
        byte[] state = State.create();
        assertEquals(64, state.length);
        assertEquals(0, State.retryAt(state, PortalCodes.now()).epochSecond());
        State.reset(state);
        assertArrayEquals(new byte[64], state);
    }

    /**
     * Issue 20: {@code retryAt} returned -1 (UINT64_MAX) for BLOCKED, so {@code retryAt > now}
     * called a blocked holder free. Now the answer is a {@link RetryAt} that says blocked and has
     * no time to compare.
     */
    @Test
    void blockedIsNotATime() {
        long now = 1_700_000_000L;
        try (Context ctx = new Context(Fixtures.key(0x51), 1)) {
            ctx.set(Setting.PIN_ITERATIONS, 10_000).set(Setting.BLOCK_AFTER_FAILURES, 1);
            String stored = Pin.hash(ctx, "account-1", "385027");
            byte[] state = State.create();
            RetryAt fresh = State.retryAt(state, now);
            assertTrue(fresh.isFree() && !fresh.isBlocked() && fresh.allowsAt(now), fresh.toString());
            expectStatus(Status.WRONG, () -> Pin.verify(ctx, "account-1", "111111", stored, now, state));
            expectStatus(Status.BLOCKED, () -> Pin.verify(ctx, "account-1", "385027", stored, now + 1, state));
            RetryAt blocked = State.retryAt(state, now + 1);
            assertTrue(blocked.isBlocked(), blocked.toString());
            assertFalse(blocked.isFree());
            assertFalse(blocked.allowsAt(now + 1));
            assertFalse(blocked.allowsAt(Long.MAX_VALUE));
            assertThrows(IllegalStateException.class, blocked::epochSecond);
            assertEquals("blocked", blocked.toString());
            State.reset(state);
            assertTrue(State.retryAt(state, now + 2).isFree());
        }
    }

    /**
     * Issue 22 §5: revoking kills the outstanding SMS code (NO_CHALLENGE, not counted) and keeps
     * the counted failure and the resend cooldown; the recovery set dies only when asked.
     */
    @Test
    void revokeKillsCodesAndKeepsCounters() {
        long now = 1_750_000_000L;
        try (Context ctx = new Context(Fixtures.key(0x52), 1)) {
            byte[] sms = State.create();
            String code = Otp.issue(ctx, "login", now, sms);
            String wrong = code.equals("000000") ? "111111" : "000000";
            expectStatus(Status.WRONG, () -> Otp.verify(ctx, "login", wrong, now + 1, sms));
            byte[] before = sms.clone();
            State.revoke(sms, State.REVOKE_RECOVERY);
            assertArrayEquals(before, sms, "the recovery flag leaves SMS codes alone");
            State.revoke(sms, State.REVOKE_CODES);
            byte[] revoked = sms.clone();
            expectStatus(Status.NO_CHALLENGE, () -> Otp.verify(ctx, "login", code, now + 2, sms));
            assertArrayEquals(revoked, sms, "not counted");
            assertEquals(now + 60, State.retryAt(sms, now + 2).epochSecond(), "the cooldown stays");
            expectStatus(Status.TOO_SOON, () -> Otp.issue(ctx, "login", now + 59, sms));
            assertEquals(0, State.events(ctx, before, sms, now + 2).flags(), "a revocation is no event");

            byte[] rec = State.create();
            Recovery.Generated set = Recovery.generate(ctx, "account-1", 3, rec);
            State.revoke(rec, State.REVOKE_CODES);
            assertEquals(3, Recovery.remaining(rec), "codes only: the set stays");
            State.revoke(rec, State.REVOKE_CODES | State.REVOKE_RECOVERY);
            assertEquals(0, Recovery.remaining(rec));
            expectStatus(Status.NO_CHALLENGE,
                    () -> Recovery.verify(ctx, "account-1", set.stored(), set.codes().get(0), now, rec));

            expectStatus(Status.INVALID_ARGUMENT, () -> State.revoke(sms, 0));
            expectStatus(Status.INVALID_ARGUMENT, () -> State.revoke(sms, 8));
            expectStatus(Status.CORRUPT_STATE, () -> State.revoke(new byte[63], State.REVOKE_CODES));
        }
    }

    /** Issue 22 §4: the events of a failure run, the lock, the block and the reset. */
    @Test
    void eventsOfAFailureRun() {
        long now = 1_750_000_000L;
        try (Context ctx = new Context(Fixtures.key(0x53), 1)) {
            ctx.set(Setting.PIN_ITERATIONS, 10_000);
            String stored = Pin.hash(ctx, "account-1", "385027");
            byte[] state = State.create();
            long t = now;
            int locks = 0;
            for (int n = 1; n <= 15; n++) {
                byte[] old = state.clone();
                long at = t;
                expectStatus(Status.WRONG, () -> Pin.verify(ctx, "account-1", "111111", stored, at, state));
                State.Events e = State.events(ctx, old, state, t);
                assertTrue(e.has(State.EVENT_FAILURE_COUNTED), "failure " + n);
                if (n == 15) {
                    assertEquals(new State.Events(State.EVENT_FAILURE_COUNTED | State.EVENT_BLOCKED, 0, 0, 0, 0), e);
                } else if (n % 5 == 0) {
                    long lock = n == 5 ? 900 : 1800;
                    assertEquals(new State.Events(State.EVENT_FAILURE_COUNTED | State.EVENT_LOCK_STARTED, 5,
                            t + lock, 0, 0), e);
                    locks++;
                    t += lock;
                } else {
                    assertEquals(new State.Events(State.EVENT_FAILURE_COUNTED, 5 - n % 5, 0, 0, 0), e);
                }
            }
            assertEquals(2, locks);
            byte[] old = state.clone();
            State.reset(state);
            State.Events e = State.events(ctx, old, state, t);
            assertTrue(e.has(State.EVENT_CLEARED) && !e.has(State.EVENT_CLEARED | State.EVENT_BLOCKED));
            assertFalse(e.has(0));

            byte[] rec = State.create();
            Recovery.Generated set = Recovery.generate(ctx, "account-1", 3, rec);
            byte[] before = rec.clone();
            assertEquals(2, Recovery.verify(ctx, "account-1", set.stored(), set.codes().get(1), now, rec));
            assertEquals(new State.Events(State.EVENT_RECOVERY_USED, 0, 0, 2, 0), State.events(ctx, before, rec, now));

            expectStatus(Status.INVALID_ARGUMENT, () -> State.events(ctx, rec, old, now));
            expectStatus(Status.INVALID_ARGUMENT, () -> State.events(ctx, before, rec, 0));
            expectStatus(Status.CORRUPT_STATE, () -> State.events(ctx, new byte[63], rec, now));
        }
    }

    @Test
    void garbageIsCorrupt() {
        expectStatus(Status.CORRUPT_STATE, () -> State.retryAt(new byte[63], 1));
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xAB);
        expectStatus(Status.CORRUPT_STATE, () -> State.reset(garbage));
    }
}

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

    @Test
    void garbageIsCorrupt() {
        expectStatus(Status.CORRUPT_STATE, () -> State.retryAt(new byte[63], 1));
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xAB);
        expectStatus(Status.CORRUPT_STATE, () -> State.reset(garbage));
    }
}

package ru.portal.codes;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static ru.portal.codes.Fixtures.expectStatus;

/** {@code pcodes_state_*}: a fresh blob, and blobs that are not one. */
class StateTest {
    @Test
    void freshBlob() {
        byte[] state = State.create();
        assertEquals(64, state.length);
        assertEquals(0, State.retryAt(state, PortalCodes.now()));
        State.reset(state);
        assertArrayEquals(new byte[64], state);
    }

    @Test
    void garbageIsCorrupt() {
        expectStatus(Status.CORRUPT_STATE, () -> State.retryAt(new byte[63], 1));
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xAB);
        expectStatus(Status.CORRUPT_STATE, () -> State.reset(garbage));
    }
}

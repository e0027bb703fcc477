package ru.portal.codes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;

/** One exception type: status, developer detail ({@code pcodes_last_error_detail}), user message. */
class ExceptionTest {
    @Test
    void nowZeroNamesTheArgument() {
        try (Context ctx = new Context(key(0x31), 1)) {
            PortalCodesException e = expectStatus(Status.INVALID_ARGUMENT,
                    () -> Otp.issue(ctx, "login", 0, State.create()));
            assertTrue(e.detail().startsWith("now: "), e.detail());
            assertEquals(102, e.code());
            assertEquals("PCODES_STATUS_INVALID_ARGUMENT", e.statusName());
            assertEquals("PCODES_STATUS_INVALID_ARGUMENT: " + e.detail(), e.getMessage());
            e = expectStatus(Status.INVALID_ARGUMENT, () -> State.retryAt(State.create(), 0));
            assertTrue(e.detail().startsWith("now: "), e.detail());
        }
    }

    @Test
    void wrongStateLengthNamesTheArgument() {
        try (Context ctx = new Context(key(0x32), 1)) {
            PortalCodesException e = expectStatus(Status.CORRUPT_STATE,
                    () -> Otp.verify(ctx, "login", "123456", 1_700_000_000L, new byte[63]));
            assertTrue(e.detail().startsWith("state_len: "), e.detail());
            e = expectStatus(Status.CORRUPT_STATE, () -> State.reset(new byte[65]));
            assertTrue(e.detail().startsWith("state_len: "), e.detail());
        }
    }

    @Test
    void aVerdictHasNoDetailAndAPoliteMessage() {
        try (Context ctx = new Context(key(0x33), 1)) {
            PortalCodesException e = expectStatus(Status.NO_CHALLENGE,
                    () -> Otp.verify(ctx, "login", "123456", 1_700_000_000L, State.create()));
            assertEquals("", e.detail());
            assertEquals(Status.NO_CHALLENGE.message("en"), e.userMessage("en"));
            assertEquals("PCODES_STATUS_NO_CHALLENGE: " + e.userMessage("en"), e.getMessage());
            assertTrue(!e.userMessage("ru").equals(e.userMessage("en")));
        }
    }

    @Test
    void theDetailIsTheFailingCallsOnThisThread() throws Exception {
        try (Context ctx = new Context(key(0x34), 1)) {
            // Another thread's refusal does not leak into this thread's exception.
            Thread other = new Thread(() -> expectStatus(Status.INVALID_ARGUMENT,
                    () -> State.retryAt(State.create(), 0)));
            other.start();
            other.join();
            PortalCodesException e = expectStatus(Status.CORRUPT_STATE, () -> State.reset(new byte[1]));
            assertTrue(e.detail().startsWith("state_len: "), e.detail());
        }
    }

    @Test
    void statusMessages() {
        assertEquals("Срок действия кода истёк. Пожалуйста, запросите новый.", Status.EXPIRED.message("ru"));
        assertEquals("The code has expired. Please request a new one.", Status.EXPIRED.message("en"));
        assertEquals("PCODES_STATUS_EXPIRED", Status.EXPIRED.cName());
        assertEquals(Status.EXPIRED, Status.of(202));
        assertEquals(Status.UNKNOWN, Status.of(7));
        assertEquals("PCODES_STATUS_UNKNOWN", PortalCodesNative.INSTANCE.pcodes_status_name(12345));
    }
}

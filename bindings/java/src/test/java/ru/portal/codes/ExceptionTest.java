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

    /**
     * Issue 20: JNA passes a String as a C string, so a U+0000 cut it there: a PIN hash made for
     * "alice\0" verified as "alice". Every String argument now refuses U+0000 with
     * INVALID_ARGUMENT, naming the argument, before C sees it.
     */
    @Test
    void embeddedNulIsRefusedInEveryStringArgument() {
        long now = 1_700_000_000L;
        try (Context ctx = new Context(key(0x35), 1)) {
            ctx.set(Setting.PIN_ITERATIONS, 10_000);
            String stored = Pin.hash(ctx, "alice", "385027");
            byte[] st = State.create();
            byte[] secret = new byte[20];
            Link.Child child = new Link.Child("Иванов Иван Иванович", "2015-03-08", "M", "112-233-445 95");
            Link.Child badChild = new Link.Child("Иванов Иван\0Иванович", "2015-03-08", "M", "112-233-445 95");
            String nul = "ali\0ce";
            org.junit.jupiter.api.function.Executable[] calls = {
                () -> Pin.hash(ctx, "alice\0", "385027"),
                () -> Pin.hash(ctx, "alice", "385027\0"),
                () -> Pin.verify(ctx, "alice\0", "385027", stored, now, st),
                () -> Pin.verify(ctx, "alice", "385027", stored + "\0", now, st),
                () -> Pin.verifyBegin(ctx, nul, "385027", stored, now, st),
                () -> Pin.verifyFinish(ctx, "alice", "38\0", stored, now, st),
                () -> Pin.verifyCompute(ctx, nul, "385027", stored),
                () -> Pin.needsRehash(ctx, stored + "\0"),
                () -> Pin.check(ctx, "385027\0", "385027", null),
                () -> Pin.check(ctx, "385027", "385027\0", null),
                () -> Pin.check(ctx, "385027", "385027", "1987-05-25\0"),
                () -> Pin.checkReason(ctx, "385027", "385027", "1987-05-25\0"),
                () -> Otp.issue(ctx, "login\0", now, st),
                () -> Otp.verify(ctx, "login", "123456\0", now, st),
                () -> Otp.verify(ctx, "log\0in", "123456", now, st),
                () -> Link.issue(ctx, 7, badChild, now, st),
                () -> Link.redeem(ctx, "ABCDE\0", child, now, st),
                () -> Link.redeem(ctx, "ABCDE", badChild, now, st),
                () -> Link.parse("ABCDE\0"),
                () -> Link.childCheck(badChild),
                () -> Totp.uri(secret, "Portal\0", "alice", Algorithm.SHA1, 6, 30),
                () -> Totp.uri(secret, "Portal", nul, Algorithm.SHA1, 6, 30),
                () -> Totp.uriParse("otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQ\0"),
                () -> Totp.qrSvg("otpauth://totp/a\0"),
                () -> Totp.verify(ctx, secret, Algorithm.SHA1, 6, 30, "123456\0", now, State.create()),
                () -> Hotp.verify(ctx, secret, Algorithm.SHA1, 6, "123456\0", now, State.create()),
                () -> Base32.decode("MZXW6\0YTBOI"),
                () -> Status.WRONG.message("ru\0"),
            };
            for (int i = 0; i < calls.length; i++) {
                PortalCodesException e = expectStatus(Status.INVALID_ARGUMENT, calls[i]);
                assertTrue(e.detail().contains(": contains U+0000"), i + ": " + e.detail());
            }
            assertEquals(new byte[64].length, st.length);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[64], st, "no state was written");
            // The case of the report: a hash for "alice" does not verify "alice\0".
            expectStatus(Status.INVALID_ARGUMENT, () -> Pin.verify(ctx, "alice\0", "385027", stored, now, State.create()));
            Pin.verify(ctx, "alice", "385027", stored, now, State.create());
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

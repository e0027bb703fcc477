package ru.portal.codes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.key;
import static ru.portal.codes.Fixtures.outcome;

/**
 * Device trust: a token issued and checked, an attacker without one blocking the PIN blob while
 * the owner's trusted device still verifies, the trusted lane's own count, and revoking every
 * device.
 */
class DeviceTest {
    private static final long T0 = 1_700_000_000L;

    @Test
    void theOwnerKeepsItsDevice() {
        try (Context ctx = new Context(key(32, 7, 1), 2)) {
            ctx.set(Setting.PIN_ITERATIONS, 10_000);
            assertEquals(81, Device.TOKEN_BYTES);
            assertEquals(90L * 86_400, ctx.get(Setting.DEVICE_TRUST_SECONDS));
            byte[] device = State.create();
            byte[] pinState = State.create();
            String stored = Pin.hash(ctx, "acct-1", "385027");
            byte[] fresh0 = device.clone();
            String token = Device.issue(ctx, "acct-1", T0, device);
            assertTrue(token.matches("[A-Z2-7]{80}"), token);
            // The issue is recorded in the blob (updated in place): an event for the host.
            assertEquals(new State.Events(State.EVENT_DEVICE_TRUSTED, 0, 0, 0, T0), State.events(ctx, fresh0, device, T0));
            assertEquals(1, device[32], "one token issued (payload bytes 8..12)");
            Device.check(ctx, "acct-1", token, T0, device);
            assertEquals(Status.DEVICE_UNTRUSTED, outcome(() -> Device.check(ctx, "acct-2", token, T0, device)));
            assertEquals(Status.EXPIRED, outcome(() -> Device.check(ctx, "acct-1", token, T0 + 90L * 86_400, device)));

            // An attacker without a token blocks the PIN blob, each guess after the last lock.
            for (int i = 0; i < 15; i++) {
                long now = T0 + i * 2_000L;
                assertEquals(Status.WRONG, outcome(() -> Pin.verify(ctx, "acct-1", "000000", stored, now, pinState)));
            }
            assertEquals(Status.BLOCKED, outcome(() -> Pin.verify(ctx, "acct-1", "385027", stored, T0 + 30_000, pinState)));
            byte[] pinCopy = pinState.clone();
            assertEquals(Status.CORRUPT_STATE, outcome(() -> Device.issue(ctx, "acct-1", T0, pinCopy)));
            assertEquals(java.util.Arrays.toString(pinState), java.util.Arrays.toString(pinCopy), "left as it was");
            // The owner's device is still in.
            Device.pinVerify(ctx, "acct-1", "385027", stored, token, T0 + 30_000, device);
            assertEquals(Status.WRONG,
                    outcome(() -> Device.pinVerify(ctx, "acct-1", "000000", stored, token, T0 + 30_000, device)));
            assertEquals(1, device[2]);
            byte[] before = device.clone();
            assertEquals(Status.DEVICE_UNTRUSTED,
                    outcome(() -> Device.pinVerify(ctx, "acct-1", "385027", stored, "forged", T0 + 30_000, device)));
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(device), "nothing counted");

            Device.revokeAll(device);
            assertEquals(Status.DEVICE_REVOKED, outcome(() -> Device.check(ctx, "acct-1", token, T0, device)));
            assertEquals(Status.CORRUPT_STATE, outcome(() -> Device.revokeAll(pinState)));
            byte[] revoked = device.clone();
            String fresh = Device.issue(ctx, "acct-1", T0 + 30_001, device);
            State.Events e = State.events(ctx, revoked, device, T0 + 30_001);
            assertTrue(e.has(State.EVENT_DEVICE_TRUSTED) && e.trustedAt() == T0 + 30_001, e.toString());
            assertEquals(2, device[32], "two tokens issued");
            Device.pinVerify(ctx, "acct-1", "385027", stored, fresh, T0 + 30_001, device);
            assertEquals(Status.INVALID_ARGUMENT, outcome(() -> Device.check(ctx, "acct-1", "a\0b", T0, device)));
        }
    }
    /**
     * The trusted lane of SMS codes and TOTP/HOTP: an attacker without a token blocks the SMS
     * blob, the owner with its token still gets and confirms a code; single use and replay hold
     * across both lanes; a trusted wrong code counts in the device blob only.
     */
    @Test
    void smsAndAuthenticatorCodesFromATrustedDevice() {
        try (Context ctx = new Context(key(32, 7, 1), 2)) {
            byte[] device = State.create();
            byte[] sms = State.create();
            String token = Device.issue(ctx, "acct-1", T0, device);
            long now = T0;
            // The attacker: three wrong codes spend a code, a new one after each lock and cooldown.
            while (true) {
                assertTrue(now < T0 + 30L * 86_400);
                final long at = now;
                now += 3_600; // past the lock, the cooldown and the hourly limit
                String c;
                try {
                    c = Otp.issue(ctx, "login", at, sms);
                } catch (PortalCodesException e) {
                    if (e.status() == Status.BLOCKED) {
                        break;
                    }
                    assertEquals(Status.LOCKED, e.status());
                    continue;
                }
                String wrong = (c.charAt(0) == '0' ? "1" : "0") + c.substring(1);
                for (int i = 0; i < 3; i++) {
                    Status s = outcome(() -> Otp.verify(ctx, "login", wrong, at, sms));
                    assertTrue(s == Status.WRONG || s == Status.BLOCKED || s == Status.LOCKED, s.toString());
                }
            }
            long t = now + 3_600;
            String code = Device.otpIssue(ctx, "acct-1", "login", token, t, sms, device);
            String wrong = (code.charAt(0) == '0' ? "1" : "0") + code.substring(1);
            assertEquals(Status.WRONG,
                    outcome(() -> Device.otpVerify(ctx, "acct-1", "login", wrong, token, t, sms, device)));
            assertEquals(1, device[2]);
            Device.otpVerify(ctx, "acct-1", "login", code, token, t, sms, device);
            assertEquals(0, device[2]);
            assertEquals(Status.ALREADY_USED,
                    outcome(() -> Device.otpVerify(ctx, "acct-1", "login", code, token, t, sms, device)));
            assertEquals(Status.BLOCKED, outcome(() -> Otp.verify(ctx, "login", code, t, sms)));
            assertEquals(Status.DEVICE_UNTRUSTED,
                    outcome(() -> Device.otpIssue(ctx, "acct-1", "login", "forged", t + 3_600, sms, device)));

            // TOTP, RFC 6238 seed: a step accepted in the trusted lane is a replay in the other.
            byte[] seed = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] totp = State.create();
            String c = Totp.code(seed, Algorithm.SHA1, 8, 30, t);
            assertEquals(0, Device.totpVerify(ctx, "acct-1", seed, Algorithm.SHA1, 8, 30, c, token, t, totp, device));
            assertEquals(Status.ALREADY_USED,
                    outcome(() -> Totp.verify(ctx, seed, Algorithm.SHA1, 8, 30, c, t, totp)));
            // HOTP, RFC 4226 vectors: counter 0 here, then a replay in the untrusted lane.
            byte[] hotp = State.create();
            assertEquals(0L, Device.hotpVerify(ctx, "acct-1", seed, Algorithm.SHA1, 6, "755224", token, t, hotp, device));
            assertEquals(Status.ALREADY_USED,
                    outcome(() -> Hotp.verify(ctx, seed, Algorithm.SHA1, 6, "755224", t, hotp)));
            assertEquals(1L, Hotp.verify(ctx, seed, Algorithm.SHA1, 6, "287082", t, hotp));
            assertEquals(Status.ALREADY_USED, outcome(
                    () -> Device.hotpVerify(ctx, "acct-1", seed, Algorithm.SHA1, 6, "287082", token, t, hotp, device)));
            assertEquals(Status.CORRUPT_STATE, outcome(
                    () -> Device.totpVerify(ctx, "acct-1", seed, Algorithm.SHA1, 8, 30, c, token, t, device, totp)));
        }
    }
}

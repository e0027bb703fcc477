package ru.portal.codes;

/**
 * One-time codes from Java: the full life of a code. Issue, resend too soon, resend later (the
 * first code superseded), a typo, wrong tries until the code is exhausted, expiry, success, reuse
 * refused, a code for another purpose refused.
 */
public final class OtpDemo {
    private OtpDemo() {
    }

    private static Checks c;
    private static Otp otp;
    private static long t0;

    private static void verify(String purpose, String label, String code, long at, byte[] state, Status want) {
        Status got;
        try {
            otp.verify(purpose, code, t0 + at, state);
            got = Status.OK;
        } catch (PortalCodesException e) {
            got = e.status();
        }
        System.out.printf("t+%-4d verify %-32s -> %s%n", at, label, PortalCodes.statusName(got.code()));
        if (got != Status.OK) {
            System.out.println("        ru: " + PortalCodes.message(got, "ru"));
        }
        c.expect(got == want, label + ": expected " + want + ", got " + got);
    }

    private static String issue(String purpose, long at, byte[] state) {
        String code = otp.issue(purpose, t0 + at, state);
        long next = PortalCodes.retryAt(state, t0 + at);
        System.out.printf("t+%-4d issue for %-20s -> SMS \"%s\"; next send at t+%d%n", at, purpose, code, next - t0);
        c.expect(code.length() == 6 && code.chars().allMatch(Character::isDigit), "six digits");
        return code;
    }

    private static String otherThan(String a, String b) {
        for (int v = 0;; v++) {
            String s = String.format("%06d", v);
            if (!s.equals(a) && !s.equals(b)) {
                return s;
            }
        }
    }

    public static void main(String[] args) {
        c = new Checks();
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 5 + 3);
        }
        try (Context ctx = new Context(key, 1)) {
            otp = new Otp(ctx);
            c.expect(Otp.CODE_BYTES == 9, "code buffer size");
            t0 = PortalCodes.now();
            byte[] state = PortalCodes.newState();

            verify("login", "before any code", "123456", 0, state, Status.NO_CHALLENGE);
            String first = issue("login", 0, state);
            try {
                otp.issue("login", t0 + 20, state);
                c.expect(false, "resend after 20 s must be refused");
            } catch (PortalCodesException e) {
                long retry = PortalCodes.retryAt(state, t0 + 20);
                System.out.printf("t+20   issue for %-20s -> %s; retry at t+%d%n", "login", e.statusName(), retry - t0);
                c.expect(e.status() == Status.TOO_SOON && retry == t0 + 60, "too soon until t+60");
            }
            String second = issue("login", 75, state);
            if (!first.equals(second)) { // equal with probability 1e-6
                verify("login", "the first (replaced) code", first, 80, state, Status.SUPERSEDED);
            }
            verify("login", "one digit short", second.substring(1), 85, state, Status.MISTYPED);
            String wrong = otherThan(first, second);
            for (long at : new long[] {90, 95, 100}) {
                verify("login", wrong, wrong, at, state, Status.WRONG);
            }
            verify("login", "the right code, after 3 wrong", second, 105, state, Status.ATTEMPTS_EXHAUSTED);

            String third = issue("login", 140, state);
            verify("login", "the new code, 5 min later", third, 440, state, Status.EXPIRED);

            String fourth = issue("login", 500, state);
            String spaced = fourth.substring(0, 3) + " " + fourth.substring(3);
            verify("login", spaced, spaced, 520, state, Status.OK);
            verify("login", "the same code again", fourth, 521, state, Status.ALREADY_USED);

            byte[] phone = PortalCodes.newState();
            String pc = issue("phone-change:+79990001122", 600, phone);
            verify("login", "the phone-change code", pc, 610, phone, Status.WRONG);
            c.expect(otp.status("phone-change:+79990001122", pc, t0 + 611, phone) == Status.OK, "status() OK");
            System.out.printf("t+%-4d verify %-32s -> %s%n", 611, "the phone-change code", "PCODES_STATUS_OK");

            byte[] copy = state.clone();
            c.expectStatus(Status.CORRUPT_STATE, () -> otp.verify("login", "123456", t0, new byte[63]));
            c.expectStatus(Status.INVALID_ARGUMENT, () -> otp.issue("", t0 + 900, state));
            c.expect(java.util.Arrays.equals(copy, state), "state unchanged by refused calls");
            System.out.println("bad calls: CORRUPT_STATE, INVALID_ARGUMENT; state unchanged");
        }
        c.done();
    }
}

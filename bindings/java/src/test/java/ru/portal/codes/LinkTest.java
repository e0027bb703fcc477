package ru.portal.codes;

import java.util.Arrays;

/**
 * Link codes from Java: issue, parse and redeem a child's code, and every verdict with a real
 * scenario (typo, wrong code, forged code, edited name, re-issued code, second redeem, 11 minutes
 * later, rotated key, missing SNILS, lockout).
 */
public final class LinkDemo {
    private LinkDemo() {
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private static void verdict(Checks c, String scenario, Status want, Runnable r) {
        Status got = c.expectStatus(want, r);
        System.out.printf("%-40s -> %s%n", scenario, PortalCodes.statusName(got.code()));
    }

    public static void main(String[] args) {
        Checks c = new Checks();
        long record = 4815162342L;
        long now = PortalCodes.now();
        Link.Child ivan = new Link.Child("Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95");
        Link.Child ivanTyped = new Link.Child("  ИВАНОВ иван  иванович ", "2015-03-08", "m", "11223344595");
        Link.Child edited = new Link.Child("Иванов Иван Петрович", "2015-03-08", "М", "112-233-445 95");
        Link.Child petya = new Link.Child("Петров Пётр Петрович", "2014-01-01", "M", "087-654-303 00");
        Link.Child noSnils = new Link.Child("Иванов Иван Иванович", "2015-03-08", "М", null);

        try (Context ctx = new Context(key(0x17), 1);
                Context attacker = new Context(key(0x66), 1);
                Context rotated = new Context(key(0x42), 2).addKey(key(0x17), 1);
                Context newOnly = new Context(key(0x42), 2)) {
            c.expect(Link.CODE_BYTES == 30, "code bytes");
            int missing = Link.missingFields(noSnils);
            c.expect(missing == Link.FIELD_SNILS, "missing SNILS bit");
            System.out.println("missing fields: " + missing + " " + noSnils);
            byte[] state = PortalCodes.newState();
            verdict(c, "issue without SNILS", Status.MISSING_FIELD,
                    () -> Link.issue(ctx, record, noSnils, now, state));
            c.expect(Link.missingFields(ivan) == 0, "complete child");

            String code = Link.issue(ctx, record, ivan, now, state);
            System.out.println("code for record " + record + ": " + code);
            c.expect(code.length() == 29 && code.charAt(5) == '-', "display form");
            byte[] issued = state.clone();

            String typed = code.toLowerCase().replace('-', ' ');
            long found = Link.parse(typed);
            c.expect(found == record, "parse");
            System.out.println("parent typed \"" + typed + "\": record " + found);

            char[] t = code.toCharArray();
            int i = 0;
            while (t[i] == t[i + 1]) {
                i++;
            }
            char x = t[i];
            t[i] = t[i + 1];
            t[i + 1] = x;
            String typo = new String(t);
            verdict(c, "typo: parse", Status.MISTYPED, () -> Link.parse(typo));
            verdict(c, "typo: redeem", Status.MISTYPED, () -> Link.redeem(ctx, typo, ivan, now, state));
            c.expect(PortalCodes.retryAt(state, now) == 0, "typos do not count");

            String wrong = Link.issue(ctx, record, petya, now, PortalCodes.newState());
            verdict(c, "wrong code", Status.WRONG, () -> Link.redeem(ctx, wrong, ivan, now, state));
            String forged = Link.issue(attacker, record, ivan, now, PortalCodes.newState());
            verdict(c, "forged code", Status.WRONG, () -> Link.redeem(ctx, forged, ivan, now, state));
            // On a copy: a redeem that sees changed data kills the code for good.
            byte[] whatIf = state.clone();
            verdict(c, "edited name", Status.DATA_CHANGED, () -> Link.redeem(ctx, code, edited, now + 30, whatIf));
            verdict(c, "name edited back", Status.DATA_CHANGED, () -> Link.redeem(ctx, code, ivan, now + 31, whatIf));
            verdict(c, "redeem", Status.OK, () -> Link.redeem(ctx, typed, ivanTyped, now + 60, state));
            verdict(c, "second redeem", Status.ALREADY_USED, () -> Link.redeem(ctx, code, ivan, now + 90, state));

            byte[] later = issued.clone();
            verdict(c, "11 minutes later", Status.EXPIRED, () -> Link.redeem(ctx, code, ivan, now + 11 * 60, later));

            byte[] reissued = issued.clone();
            String newer = Link.issue(ctx, record, ivan, now + 120, reissued);
            c.expect(!newer.equals(code), "new code differs");
            verdict(c, "re-issued: old code", Status.SUPERSEDED, () -> Link.redeem(ctx, code, ivan, now + 130, reissued));
            verdict(c, "re-issued: new code", Status.OK, () -> Link.redeem(ctx, newer, ivan, now + 130, reissued));

            byte[] rot = issued.clone();
            verdict(c, "key not held (1)", Status.UNKNOWN_KEY, () -> Link.redeem(newOnly, code, ivan, now + 60, rot));
            verdict(c, "rotated key: old code", Status.OK, () -> Link.redeem(rotated, code, ivan, now + 60, rot));

            byte[] attacked = issued.clone();
            for (int k = 0; k < 5; k++) {
                c.expectStatus(Status.WRONG, () -> Link.redeem(ctx, wrong, ivan, now, attacked));
            }
            verdict(c, "after 5 wrong codes", Status.LOCKED, () -> Link.redeem(ctx, code, ivan, now + 1, attacked));
            c.expect(PortalCodes.retryAt(attacked, now + 1) == now + 900, "locked for 15 minutes");

            try {
                Link.redeem(ctx, typo, ivan, now, state);
            } catch (PortalCodesException e) {
                System.out.println(e.statusName() + ": ru: " + e.userMessage("ru"));
            }
        }
        c.done();
    }
}

package ru.portal.codes;

/**
 * PINs from Java: policy refusals with reasons, hash then verify OK, wrong PIN WRONG, five wrong
 * LOCKED with the retry time, a copied hash WRONG, two-phase verification, an unknown account,
 * and a rotated pepper key that still verifies and asks for a rehash. 10,000 iterations for
 * speed (production keeps 600,000).
 */
public final class PinDemo {
    private PinDemo() {
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }

    private static String outcome(Runnable r) {
        try {
            r.run();
            return "OK";
        } catch (PortalCodesException e) {
            return e.statusName();
        }
    }

    public static void main(String[] args) {
        Checks c = new Checks();
        try (Context ctx = new Context(key(0x42), 2); Context rotated = new Context(key(0x99), 3)) {
            ctx.set(Setting.PIN_ITERATIONS, 10_000);
            String birth = "1987-05-25";
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
                Pin.Review r = Pin.review(ctx, k[0], k[1], birth);
                c.expect(r.status() == Status.valueOf(k[2]) && r.reason() == Pin.Weakness.valueOf(k[3]), "review " + k[0]);
                System.out.printf("check %-6s / %-6s -> %s %s%n", k[0], k[1], r.status(),
                        r.reason() == Pin.Weakness.NONE ? "" : Pin.weaknessName(r.reason()));
            }
            c.expectStatus(Status.PIN_WEAK, () -> Pin.check(ctx, "1234", "1234", null));
            Pin.check(ctx, "385027", "385027", birth);

            String stored = Pin.hash(ctx, "account-1001", "385027");
            c.expect(stored.startsWith("$pcodes-pin$v=1,k=2,i=10000,n=6$"), "hash format");
            System.out.println("stored hash: " + stored);
            byte[] state = PortalCodes.newState();
            long now = PortalCodes.now();
            String ok = outcome(() -> Pin.verify(ctx, "account-1001", "385027", stored, now, state));
            c.expect(ok.equals("OK"), "right PIN");
            System.out.println("verify right PIN -> " + ok);
            String wrong = outcome(() -> Pin.verify(ctx, "account-1001", "111111", stored, now, state));
            c.expect(wrong.equals("PCODES_STATUS_WRONG"), "wrong PIN");
            System.out.println("verify 111111 -> " + wrong);
            for (int i = 1; i < 5; i++) {
                final long t = now + i;
                c.expectStatus(Status.WRONG, () -> Pin.verify(ctx, "account-1001", "000000", stored, t, state));
            }
            String locked = outcome(() -> Pin.verify(ctx, "account-1001", "385027", stored, now + 5, state));
            long retry = PortalCodes.retryAt(state, now + 5);
            c.expect(locked.equals("PCODES_STATUS_LOCKED") && retry == now + 904, "locked");
            System.out.println("five wrong -> " + locked + ", retry in " + (retry - (now + 5)) + " s");
            Pin.verify(ctx, "account-1001", "385027", stored, retry, state);

            byte[] other = PortalCodes.newState();
            String copied = outcome(() -> Pin.verify(ctx, "account-2002", "385027", stored, now, other));
            c.expect(copied.equals("PCODES_STATUS_WRONG"), "copied");
            System.out.println("hash copied to account-2002 -> " + copied);
            byte[] nobody = PortalCodes.newState();
            String unknown = outcome(() -> Pin.verify(ctx, "nobody", "385027", null, now, nobody));
            c.expect(unknown.equals("PCODES_STATUS_WRONG"), "unknown account");
            System.out.println("unknown account -> " + unknown);

            byte[] blob = PortalCodes.newState();
            c.expectStatus(Status.NO_CHALLENGE, () -> Pin.verifyFinish(ctx, "account-1001", "385027", stored, now, blob));
            Pin.verifyBegin(ctx, "account-1001", "385027", stored, now, blob);
            // (the host stores blob with compare-and-swap here)
            Pin.verifyFinish(ctx, "account-1001", "385027", stored, now, blob);
            c.expect(PortalCodes.retryAt(blob, now) == 0, "two-phase ok");
            System.out.println("two-phase verify -> OK");
            Pin.verifyBegin(ctx, "account-1001", "000001", stored, now, blob);
            boolean matched = Pin.verifyCompute(ctx, "account-1001", "000001", stored);
            c.expect(!matched, "compute: wrong PIN");
            byte[] reread = blob.clone(); // as if the first compare-and-swap lost a race
            c.expectStatus(Status.WRONG, () -> Pin.verifyApply(matched, now, blob));
            c.expectStatus(Status.WRONG, () -> Pin.verifyApply(matched, now, reread));
            System.out.println("compute once, apply on a re-read blob -> PCODES_STATUS_WRONG");

            rotated.addKey(key(0x42), 2);
            rotated.set(Setting.PIN_ITERATIONS, 10_000);
            String rot = outcome(() -> Pin.verify(rotated, "account-1001", "385027", stored, retry, state));
            boolean needs = Pin.needsRehash(rotated, stored);
            c.expect(rot.equals("OK") && needs, "rotation");
            System.out.println("after rotation: verify -> " + rot + ", needs rehash: " + (needs ? "yes" : "no"));
            String fresh = Pin.hash(rotated, "account-1001", "385027");
            c.expect(!Pin.needsRehash(rotated, fresh), "rehashed");
            c.expectStatus(Status.MALFORMED_HASH, () -> Pin.needsRehash(rotated, "$pcodes-pin$x"));
        }
        c.done();
    }
}

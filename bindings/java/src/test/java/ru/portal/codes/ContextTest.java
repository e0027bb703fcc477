package ru.portal.codes;

/**
 * The context API from Java: two keys, every setting set and read back, an out-of-range value
 * refused, status messages in Russian and English, the state helpers on a fresh blob.
 */
public final class ContextDemo {
    private ContextDemo() {
    }

    public static void main(String[] args) {
        Checks c = new Checks();
        System.out.println("portal-codes " + PortalCodes.version());
        byte[] current = new byte[32];
        byte[] old = new byte[48];
        for (int i = 0; i < current.length; i++) {
            current[i] = (byte) (i * 7 + 1);
        }
        for (int i = 0; i < old.length; i++) {
            old[i] = (byte) (i * 3 + 2);
        }
        c.expectStatus(Status.BAD_KEY, () -> new Context(new byte[31], 1).close());

        Context ctx = new Context(current, 1);
        try (ctx) {
            ctx.addKey(old, 0);
            c.expectStatus(Status.INVALID_ARGUMENT, () -> ctx.addKey(old, 0));
            long[][] settings = {
                // id, default, good, bad
                {1, 600, 900, 59}, {2, 300, 120, 3601}, {3, 6, 8, 9}, {4, 3, 5, 0}, {5, 60, 30, 3601},
                {6, 5, 3, 0}, {7, 600000, 10000, 9999}, {8, 0x50, 0x40, 0x20}, {9, 5, 3, 0},
                {10, 900, 600, 0}, {11, 1800, 3600, 604801}, {12, 15, 10, 1001}, {13, 1, 2, 11},
                {14, 10, 20, 1001},
            };
            for (long[] s : settings) {
                Setting setting = Setting.values()[(int) s[0] - 1];
                c.expect(setting.id() == s[0], "setting id " + setting);
                c.expect(ctx.get(setting) == s[1], "default of " + setting);
                ctx.set(setting, s[2]);
                String refused;
                try {
                    ctx.set(setting, s[3]);
                    refused = "accepted";
                } catch (PortalCodesException e) {
                    refused = e.statusName();
                    c.expect(e.status() == Status.INVALID_ARGUMENT, "out of range " + setting);
                }
                c.expect(ctx.get(setting) == s[2], "read back " + setting);
                System.out.printf("setting %-22s default %-6d set %-6d out of range %-6d -> %s%n",
                        setting, s[1], ctx.get(setting), s[3], refused);
            }

            // Configure, then share: the first use fixes keys and settings (other threads may be
            // reading them from then on). To rotate keys, make a new context.
            Totp.newSecret(ctx);
            c.expectStatus(Status.INVALID_ARGUMENT, () -> ctx.set(Setting.OTP_DIGITS, 6));
            c.expectStatus(Status.INVALID_ARGUMENT, () -> ctx.addKey(new byte[32], 2));
            c.expect(ctx.get(Setting.OTP_DIGITS) == 8, "unchanged after first use");
            System.out.println("after first use: set and add_key -> PCODES_STATUS_INVALID_ARGUMENT");

            System.out.println("PCODES_STATUS_EXPIRED: ru: " + PortalCodes.message(Status.EXPIRED, "ru"));
            System.out.println("PCODES_STATUS_EXPIRED: en: " + PortalCodes.message(Status.EXPIRED, "en"));
            c.expect(PortalCodes.statusName(12345).equals("PCODES_STATUS_UNKNOWN"), "unknown name");
            c.expect(Status.of(202) == Status.EXPIRED && Status.of(7) == Status.UNKNOWN, "status mapping");

            byte[] state = PortalCodes.newState();
            c.expect(state.length == 64, "state size");
            long retry = PortalCodes.retryAt(state, PortalCodes.now());
            c.expect(retry == 0, "fresh retry_at");
            PortalCodes.reset(state);
            System.out.println("fresh state: retry_at = " + retry + ", reset -> OK");
            c.expectStatus(Status.CORRUPT_STATE, () -> PortalCodes.retryAt(new byte[63], 1));
            byte[] garbage = new byte[64];
            java.util.Arrays.fill(garbage, (byte) 0xAB);
            c.expectStatus(Status.CORRUPT_STATE, () -> PortalCodes.reset(garbage));
        }
        ctx.close();
        c.expectStatus(Status.OK, ctx::close);
        System.out.println("closed twice: ok");
        try {
            ctx.get(Setting.OTP_DIGITS);
            c.expect(false, "use after close must throw");
        } catch (IllegalStateException e) {
            c.expect(true, "use after close");
        }
        c.done();
    }
}

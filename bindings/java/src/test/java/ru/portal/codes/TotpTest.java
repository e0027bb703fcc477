package ru.portal.codes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Authenticator apps from Java: enrolment (secret, URI, SVG QR code written to a file), the
 * right code, drift ±1, replay refused, a code from two steps ago refused, a typo, and the lock
 * after repeated wrong codes; plus the RFC vectors.
 */
public final class TotpDemo {
    private TotpDemo() {
    }

    public static void main(String[] args) throws Exception {
        Checks c = new Checks();
        byte[] master = new byte[32];
        for (int i = 0; i < master.length; i++) {
            master[i] = (byte) (i * 11 + 5);
        }
        byte[] seed = "12345678901234567890123456789012345678901234567890123456789012345"
                .getBytes(StandardCharsets.US_ASCII);
        try (Context ctx = new Context(master, 1)) {
            // RFC 6238 Appendix B (t = 59, 8 digits) and RFC 4226 Appendix D.
            c.expect(new Totp(Arrays.copyOf(seed, 20), Totp.Algorithm.SHA1, 8, 30).code(59).equals("94287082"), "sha1");
            c.expect(new Totp(Arrays.copyOf(seed, 32), Totp.Algorithm.SHA256, 8, 30).code(59).equals("46119246"),
                    "sha256");
            c.expect(new Totp(Arrays.copyOf(seed, 64), Totp.Algorithm.SHA512, 8, 30).code(59).equals("90693936"),
                    "sha512");
            c.expect(Totp.hotpCode(Arrays.copyOf(seed, 20), Totp.Algorithm.SHA1, 6, 1).equals("287082"), "hotp");
            c.expectStatus(Status.INVALID_ARGUMENT, () -> new Totp(Arrays.copyOf(seed, 20), Totp.Algorithm.SHA1, 9, 30)
                    .code(0));
            System.out.println("RFC vectors: ok");

            // ---- Enrolment ----
            byte[] secret = Totp.newSecret(ctx);
            c.expect(secret.length == 20, "secret length");
            String b32 = Totp.base32Encode(secret);
            c.expect(Arrays.equals(Totp.base32Decode(b32.toLowerCase()), secret), "base32 round trip");
            System.out.println("secret for manual entry: " + b32);
            Totp app = new Totp(secret);
            String uri = app.uri("Госуслуги", "ivan@example.ru");
            System.out.println("URI: " + uri);
            c.expect(uri.startsWith("otpauth://totp/%D0%93%D0%BE%D1%81"), "cyrillic encoded");
            c.expectStatus(Status.INVALID_ARGUMENT, () -> app.uri("a:b", "c"));
            Totp.Enrolment e = Totp.parseUri(uri);
            c.expect(!e.hotp && e.issuer.equals("Госуслуги") && e.account.equals("ivan@example.ru"), "parsed");
            c.expect(Arrays.equals(e.totp.secret(), secret), "parsed secret");
            System.out.println("parsed back: issuer " + e.issuer + ", account " + e.account);
            c.expectStatus(Status.INVALID_ARGUMENT,
                    () -> Totp.parseUri("otpauth://totp/Bank:ivan?secret=JBSWY3DPEHPK3PXP&issuer=Evil"));
            String svg = Totp.qrSvg(uri);
            c.expect(svg.startsWith("<svg ") && svg.endsWith("</svg>\n"), "svg");
            Path file = Path.of(System.getProperty("java.io.tmpdir"), "portal-codes-totp-demo-java.svg");
            Files.writeString(file, svg);
            System.out.println("QR code: " + svg.length() + " bytes of SVG written to " + file);

            // ---- Verification ----
            byte[] state = PortalCodes.newState();
            long t0 = 1_700_000_000L;
            int drift = app.verify(ctx, app.code(t0), t0, state);
            c.expect(drift == 0, "drift 0");
            System.out.printf("right code: OK, drift %+d%n", drift);
            Status st = c.expectStatus(Status.ALREADY_USED, () -> app.verify(ctx, app.code(t0), t0 + 5, state));
            System.out.println("replay -> " + PortalCodes.statusName(st.code()));
            drift = app.verify(ctx, app.code(t0 + 60), t0 + 90, state);
            c.expect(drift == -1, "drift -1");
            System.out.printf("phone a step behind: OK, drift %+d%n", drift);
            drift = app.verify(ctx, app.code(t0 + 330), t0 + 300, state);
            c.expect(drift == 1, "drift +1");
            System.out.printf("phone a step ahead: OK, drift %+d%n", drift);
            st = c.expectStatus(Status.WRONG, () -> app.verify(ctx, app.code(t0 + 540), t0 + 600, state));
            System.out.println("code from two steps ago -> " + PortalCodes.statusName(st.code()));
            st = c.expectStatus(Status.MISTYPED, () -> app.verify(ctx, "12 345", t0 + 600, state));
            System.out.println("typo \"12 345\" -> " + PortalCodes.statusName(st.code()) + " (not counted)");

            long t = t0 + 600;
            for (int i = 0; i < 4; i++) {
                long now = ++t;
                char[] guess = app.code(now).toCharArray();
                guess[5] = (char) ('0' + (guess[5] - '0' + 1) % 10);
                c.expectStatus(Status.WRONG, () -> app.verify(ctx, new String(guess), now, state));
            }
            long locked = t;
            st = c.expectStatus(Status.LOCKED, () -> app.verify(ctx, app.code(locked), locked, state));
            long retry = PortalCodes.retryAt(state, locked);
            c.expect(retry == locked + 900, "retry at");
            System.out.println("after 5 wrong codes even the right one -> " + PortalCodes.statusName(st.code())
                    + ", retry in " + (retry - locked) + " s");
            app.verify(ctx, app.code(retry), retry, state);
            System.out.println("after the lock: OK");

            // HOTP, and a HOTP blob refused by TOTP.
            byte[] hotpState = PortalCodes.newState();
            byte[] s20 = Arrays.copyOf(seed, 20);
            Totp.hotpVerify(ctx, s20, Totp.Algorithm.SHA1, 6, "755224", t, hotpState);
            c.expectStatus(Status.ALREADY_USED, () -> Totp.hotpVerify(ctx, s20, Totp.Algorithm.SHA1, 6, "755224",
                    locked, hotpState));
            c.expectStatus(Status.CORRUPT_STATE, () -> app.verify(ctx, "123456", locked, hotpState));
        }
        c.done();
    }
}
